using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Pipeline;

[Collection(ClusterCollection.Name)]
public class RetryTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private IChaosGrain Chaos(string name) => fixture.Grains.GetGrain<IChaosGrain>($"{_run}-{name}");

    [Fact]
    public async Task FaultAtTheDeepestHop_OfAThreeHopChain_RunsThereAtMostFourTimes()
    {
        var plan = new RelayPlan([$"{_run}-b", $"{_run}-c"], LastHopAction.Fail, RpcStatus.Unavailable);

        var error = await Assert.ThrowsAsync<RpcException>(() => Chaos("a").Relay(plan).WaitAsync(Timeout));

        // Only the edge retries: naive retries at every hop would run the last hop 4 × 4 × 4 = 64 times.
        Assert.Equal(RpcStatus.Unavailable, error.Status);
        Assert.Equal(4, (await Chaos("c").GetCounters()).Executions);
        Assert.Equal(4, (await Chaos("b").GetCounters()).Executions);
        Assert.Equal(4, (await Chaos("a").GetCounters()).Executions);
    }

    [Fact]
    public async Task NotIdempotentMethod_FailingWithUnknown_RunsOnce()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Chaos("once").Fail(RpcStatus.Unknown, notExecuted: false).WaitAsync(Timeout));

        Assert.Equal(RpcStatus.Unknown, error.Status);
        Assert.Equal(1, (await Chaos("once").GetCounters()).Executions);
    }

    [Fact]
    public async Task IdempotentMethod_FailingTwiceThenSucceeding_Succeeds()
    {
        var echo = fixture.Grains.GetGrain<IFlakyEchoGrain>($"{_run}-flaky");
        await echo.FailFirst(2).WaitAsync(Timeout);

        Assert.Equal("hello", await echo.Echo("hello").WaitAsync(Timeout));
        Assert.Equal(["hello", "hello", "hello"], await echo.GetReceived().WaitAsync(Timeout));
    }

    [Fact]
    public async Task TimerCall_ToAGrainOnTheSameSilo_IsRetriedWithItsOriginalArguments()
    {
        var caller = fixture.Grains.GetGrain<ITimerCallerGrain>($"{_run}-timer");
        var echo = fixture.Grains.GetGrain<IFlakyEchoGrain>($"{_run}-local-echo");

        // The echo grain activates on the caller's silo (it prefers local placement), and fails once.
        await caller.CallFromTimer($"{_run}-local-echo", "original arguments").WaitAsync(Timeout);
        await Eventually.True(async () => await caller.GetOutcome() is not null, "the timer call ended");

        Assert.Equal("original arguments", await caller.GetOutcome());
        await echo.FailFirst(0);
        var received = await echo.GetReceived().WaitAsync(Timeout);
        Assert.Equal(["original arguments", "original arguments"], received);
    }
}
