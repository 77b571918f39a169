using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans;
using ReliableRpc.Deadlines.Internal;
using ReliableRpc.Pipeline.Internal;
using ReliableRpc.Policies.Internal;
using ReliableRpc.Tests.Unit.Fakes;

namespace ReliableRpc.Tests.Unit.Policies;

public class MethodPolicyCacheTests
{
    private readonly MethodPolicyCache _cache = new(Options.Create(new ReliableRpcOptions()));

    [Theory]
    [InlineData(nameof(IMarkedGrain.Unmarked), false, false)]
    [InlineData(nameof(IMarkedGrain.Read), true, false)]
    [InlineData(nameof(IMarkedGrain.Deposit), false, true)]
    [InlineData(nameof(IMarkedGrain.Ship), false, false)]
    public void Get_RetryMark_DecidesWhetherTheMethodMayRepeat(string method, bool idempotent, bool acceptsKey)
    {
        var policy = PolicyOf(method);

        Assert.Equal(idempotent, policy.IsIdempotent);
        Assert.Equal(acceptsKey, policy.AcceptsKey);
    }

    [Theory]
    [InlineData(nameof(IMarkedGrain.ShipOrRead))]
    [InlineData(nameof(IMarkedGrain.ShipOrDeposit))]
    public void Get_AtMostOnceWithAContradictingMark_IsAtMostOnce(string method)
    {
        var policy = PolicyOf(method);

        Assert.False(policy.IsIdempotent);
        Assert.False(policy.AcceptsKey);
    }

    [Theory]
    [InlineData(nameof(IMarkedGrain.Unmarked), 10)] // DefaultDeadline
    [InlineData(nameof(IMarkedGrain.Slow), 20)] // [ResponseTimeout] over the default
    [InlineData(nameof(IMarkedGrain.Quick), 2)] // [ResponseTimeout] under the default
    [InlineData(nameof(IMarkedGrain.SlowWithDeadline), 5)] // [Deadline] wins over [ResponseTimeout]
    public void ResponseTimeoutIsHonoured_AsTheDeadline_UnlessDeadlineIsGiven(string method, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), PolicyOf(method).Deadline);
    }

    [Fact]
    public void ResponseTimeoutIsHonoured_LongerThanMaxDeadline_RaisesTheCapForThatMethodOnly()
    {
        var policy = PolicyOf(nameof(IMarkedGrain.VerySlow));

        Assert.Equal(TimeSpan.FromSeconds(45), policy.Deadline);
        Assert.Equal(TimeSpan.FromSeconds(45), CallDeadline.Resolve(policy, null, null, DeadlineOptions.DefaultMaxDeadline));
        Assert.Equal(TimeSpan.FromSeconds(40), CallDeadline.Resolve(policy, RpcCallOptions.Empty with { Timeout = TimeSpan.FromSeconds(40) }, null, DeadlineOptions.DefaultMaxDeadline));

        // Other methods keep the configured cap.
        var other = new MethodPolicyCache(Options.Create(new ReliableRpcOptions())).Get(new MethodInvokable(typeof(IMarkedGrain).GetMethod(nameof(IMarkedGrain.Unmarked))!));
        Assert.Equal(DeadlineOptions.DefaultMaxDeadline, CallDeadline.Resolve(other, RpcCallOptions.Empty with { Timeout = TimeSpan.FromSeconds(40) }, null, DeadlineOptions.DefaultMaxDeadline));
    }

    [Theory]
    [InlineData(nameof(IMarkedGrain.Unmarked), null)]
    [InlineData(nameof(IMarkedGrain.Slow), 20)]
    [InlineData(nameof(IMarkedGrain.VerySlow), 45)]
    public void ResponseTimeoutIsHonoured_AsTheAttemptTimeout_SoASafeCallIsNotCutBeforeItsDeadline(string method, int? seconds)
    {
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, PolicyOf(method).AttemptTimeout);
    }

    [Fact]
    public void ResponseTimeoutIsHonoured_ASafeEdgeCallsAttempt_RunsToItsDeadline()
    {
        var time = new FakeTimeProvider();
        var policy = PolicyOf(nameof(IMarkedGrain.Slow));
        var call = new CallExecution(new ScriptedCallContext(time), policy, RetryProfile.CreateInteractive(), isEdge: true, retriesEnabled: true, policy.Deadline, time);

        // Not the 3 s attempt timeout: a method that says it takes 20 s is not cut and resent every 3 s.
        Assert.Equal(TimeSpan.FromSeconds(20), call.NextAttemptTimeout(new RetryOptions().AttemptTimeout));
    }

    private MethodPolicy PolicyOf(string method) =>
        _cache.Get(new MethodInvokable(typeof(IMarkedGrain).GetMethod(method)!));

    public interface IMarkedGrain
    {
        Task Unmarked();

        [Idempotent]
        Task<int> Read();

        [AcceptsIdempotencyKey]
        Task<int> Deposit(int amount);

        [AtMostOnce]
        Task Ship();

        [AtMostOnce]
        [Idempotent]
        Task<int> ShipOrRead();

        [AtMostOnce]
        [AcceptsIdempotencyKey]
        Task<int> ShipOrDeposit(int amount);

        [Idempotent]
        [ResponseTimeout("00:00:20")]
        Task<int> Slow();

        [ResponseTimeout("00:00:02")]
        Task<int> Quick();

        [ResponseTimeout("00:00:45")]
        Task<int> VerySlow();

        [Deadline(5000)]
        [ResponseTimeout("00:00:20")]
        Task<int> SlowWithDeadline();
    }
}
