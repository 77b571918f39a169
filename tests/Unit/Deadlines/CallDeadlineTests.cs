using Microsoft.Extensions.Time.Testing;
using ReliableRpc.Deadlines.Internal;
using ReliableRpc.Policies.Internal;

namespace ReliableRpc.Tests.Unit.Deadlines;

public class CallDeadlineTests
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);
    private static readonly MethodPolicy Method = new(false, "IThing", "Do", idempotent: false, TimeSpan.FromSeconds(10), cancellationTokenIndex: 0);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Resolve_NoScopeNoIncoming_UsesMethodDeadlineAndSendsNothing()
    {
        var timeout = CallDeadline.Resolve(Method, scope: null, incoming: null, Max);

        Assert.Equal(TimeSpan.FromSeconds(10), timeout);
        Assert.False(CallDeadline.MustTravel(timeout, Method));
    }

    [Fact]
    public void Resolve_ShorterScope_UsesScopeAndMustTravel()
    {
        var timeout = CallDeadline.Resolve(Method, new RpcCallOptions { Timeout = TimeSpan.FromSeconds(2) }, null, Max);

        Assert.Equal(TimeSpan.FromSeconds(2), timeout);
        Assert.True(CallDeadline.MustTravel(timeout, Method));
    }

    [Fact]
    public void Resolve_LongerScope_UsesScopeAndMustTravel()
    {
        // Left behind, the receiver would apply the method's 10 s and cut its own calls short at 10 s.
        var timeout = CallDeadline.Resolve(Method, new RpcCallOptions { Timeout = TimeSpan.FromSeconds(15) }, null, Max);

        Assert.Equal(TimeSpan.FromSeconds(15), timeout);
        Assert.True(CallDeadline.MustTravel(timeout, Method));
    }

    [Fact]
    public void Resolve_ScopeAboveMax_IsCutToMax() =>
        Assert.Equal(Max, CallDeadline.Resolve(Method, new RpcCallOptions { Timeout = TimeSpan.FromMinutes(5) }, null, Max));

    [Fact]
    public void Resolve_InsideIncomingCall_InheritsWhatIsLeft()
    {
        var incoming = new IncomingRpcCall(_time, TimeSpan.FromSeconds(3), _time.GetTimestamp(), attempt: 1);
        _time.Advance(TimeSpan.FromMilliseconds(1_200));

        var timeout = CallDeadline.Resolve(Method, new RpcCallOptions { Timeout = TimeSpan.FromSeconds(5) }, incoming, Max);

        Assert.Equal(TimeSpan.FromMilliseconds(1_800), timeout);
    }

    [Fact]
    public void Resolve_ShorterScopeThanIncoming_KeepsScope()
    {
        var incoming = new IncomingRpcCall(_time, TimeSpan.FromSeconds(3), _time.GetTimestamp(), attempt: 1);

        Assert.Equal(TimeSpan.FromSeconds(1), CallDeadline.Resolve(Method, new RpcCallOptions { Timeout = TimeSpan.FromSeconds(1) }, incoming, Max));
    }

    [Fact]
    public void Resolve_IncomingDeadlinePassed_IsNotPositive()
    {
        var incoming = new IncomingRpcCall(_time, TimeSpan.FromSeconds(1), _time.GetTimestamp(), attempt: 1);
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(CallDeadline.Resolve(Method, null, incoming, Max) <= TimeSpan.Zero);
    }

    [Fact]
    public void Remaining_FollowsTheClock()
    {
        var incoming = new IncomingRpcCall(_time, TimeSpan.FromSeconds(2), _time.GetTimestamp(), attempt: 2);
        _time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal(TimeSpan.FromMilliseconds(1_500), incoming.Remaining);
        Assert.Equal(2, incoming.Attempt);
    }
}
