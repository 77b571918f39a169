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

    [Fact]
    public async Task SameSiloRetry_QueuedBehindItsAbandonedAttempt_RunsWithTheCallersArguments()
    {
        // Issue 23, finding 1. The first attempt outlives its attempt timeout (3 s) on the caller's own silo, where
        // the callee is handed the caller's request object; the retry queues behind it. Sharing that object, the
        // retry ran with the arguments Orleans resets when the first attempt finishes: Echo(null).
        var caller = fixture.Grains.GetGrain<ITimerCallerGrain>($"{_run}-stalled-timer");
        var echo = fixture.Grains.GetGrain<IFlakyEchoGrain>($"{_run}-stalled-echo");

        await caller.CallStalledFromTimer($"{_run}-stalled-echo", "original arguments", TimeSpan.FromSeconds(4)).WaitAsync(Timeout);
        await Eventually.True(async () => await caller.GetOutcome() is not null, "the timer call ended", Timeout);

        Assert.Equal("original arguments", await caller.GetOutcome());
        Assert.Equal(["original arguments", "original arguments"], await echo.GetReceived().WaitAsync(Timeout));
    }

    [Fact]
    public async Task RetryOfAMethodWithoutToken_WhileItsAbandonedAttemptAwaitsItsReply_IsSentOnce()
    {
        // Issue 23, finding 8. A method without a token can only be abandoned at its attempt timeout: Orleans' invoker
        // still waits for its reply, and refused a second Invoke() on the same call ("received an invalid call"),
        // which cost the retry an attempt of its own (Unknown) before a third one was sent.
        var attempts = 0L;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ReliableRpcDiagnostics.Name && instrument.Name == ReliableRpcDiagnostics.Attempts)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Value: nameof(IFlakyEchoGrain.EchoWithoutToken) })
                {
                    Interlocked.Add(ref attempts, value);
                }
            }
        });
        listener.Start();
        var echo = fixture.Grains.GetGrain<IFlakyEchoGrain>($"{_run}-tokenless");
        await echo.StallNext(TimeSpan.FromSeconds(4)).WaitAsync(Timeout);

        Assert.Equal("payload", await echo.EchoWithoutToken("payload").WaitAsync(Timeout));

        Assert.Equal(2, Interlocked.Read(ref attempts));
        Assert.Equal(["payload", "payload"], await echo.GetReceived().WaitAsync(Timeout));
    }
}
