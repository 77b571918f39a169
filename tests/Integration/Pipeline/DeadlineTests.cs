using System.Diagnostics;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Metadata.Internal;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Pipeline;

[Collection(ClusterCollection.Name)]
public class DeadlineTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private IChaosGrain Chaos(string name) => fixture.Grains.GetGrain<IChaosGrain>($"{_run}-{name}");

    [Fact]
    public async Task ThreeHopChain_LastHopHangs_CallerFailsAtDeadlineAndLastHopIsCancelled()
    {
        var deadline = TimeSpan.FromSeconds(2);
        var clock = Stopwatch.StartNew();
        RpcDeadlineExceededException error;
        using (RpcCall.Deadline(deadline))
        {
            error = await Assert.ThrowsAsync<RpcDeadlineExceededException>(() =>
                Chaos("a").Relay(new RelayPlan([$"{_run}-b", $"{_run}-c"], LastHopAction.Hang)).WaitAsync(Timeout));
        }

        Assert.Equal(RpcStatus.DeadlineExceeded, error.Status);
        Assert.InRange(clock.Elapsed, deadline - TimeSpan.FromMilliseconds(100), deadline + TimeSpan.FromSeconds(1));
        await Eventually.True(async () => (await Chaos("c").GetCounters()).Cancellations == 1, "the hanging hop's token was cancelled");
    }

    [Fact]
    public async Task ThreeHopChain_EachHopSeesASmallerBudget()
    {
        IReadOnlyList<HopObservation> hops;
        using (RpcCall.Deadline(TimeSpan.FromSeconds(3)))
        {
            hops = await Chaos("a").Relay(new RelayPlan([$"{_run}-b", $"{_run}-c"], LastHopAction.Succeed)).WaitAsync(Timeout);
        }

        var budgets = hops.Select(h => h.Budget!.Value).ToArray();
        Assert.Equal(3, budgets.Length);
        Assert.True(budgets[0] <= TimeSpan.FromSeconds(3), $"first hop budget {budgets[0]}");
        Assert.True(budgets[1] <= budgets[0] && budgets[2] <= budgets[1] && budgets[2] < budgets[0], string.Join(", ", budgets));
    }

    [Fact]
    public async Task ScopeLongerThanTheMethodDefault_TravelsToEveryHop()
    {
        IReadOnlyList<HopObservation> hops;
        using (RpcCall.Deadline(DeadlineOptions.DefaultDefaultDeadline * 2))
        {
            hops = await Chaos("a").Relay(new RelayPlan([$"{_run}-b"], LastHopAction.Succeed)).WaitAsync(Timeout);
        }

        // Not left for the receiver to derive: it would apply the method's shorter default. The hop's own call
        // then gets its method's deadline, which is shorter than what is left.
        Assert.Equal(DeadlineOptions.DefaultDefaultDeadline * 2, hops[0].Budget);
        Assert.Equal(DeadlineOptions.DefaultDefaultDeadline, hops[1].Budget);
    }

    [Fact]
    public async Task ChainWithoutScope_HopsUseTheMethodDefaultAndCarryNothing()
    {
        var hops = await Chaos("a").Relay(new RelayPlan([$"{_run}-b"], LastHopAction.Succeed)).WaitAsync(Timeout);

        // The first hop derives the default deadline itself: nothing travelled with the client's call.
        Assert.Equal(DeadlineOptions.DefaultDefaultDeadline, hops[0].Budget);
        Assert.DoesNotContain(CallMetadataCarrier.Key, hops[0].RequestContextKeys);
        Assert.True(hops[1].Budget < DeadlineOptions.DefaultDefaultDeadline);
    }

    [Fact]
    public async Task QueuedCall_BehindAHungCall_NeverRunsAfterItsDeadline()
    {
        var grain = Chaos("queue");
        Task hung;
        using (RpcCall.Deadline(TimeSpan.FromSeconds(3)))
        {
            hung = grain.Hang(TimeSpan.FromSeconds(20));
        }

        await Eventually.True(async () => (await grain.GetCounters()).Hanging == 1, "the hang started");
        RpcDeadlineExceededException error;
        var clock = Stopwatch.StartNew();
        using (RpcCall.Deadline(TimeSpan.FromMilliseconds(500)))
        {
            error = await Assert.ThrowsAsync<RpcDeadlineExceededException>(() => grain.Count().WaitAsync(Timeout));
        }

        Assert.Equal(RpcStatus.DeadlineExceeded, error.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"took {clock.Elapsed}");
        await Assert.ThrowsAsync<RpcDeadlineExceededException>(() => hung.WaitAsync(Timeout));

        // The hung call has ended; had the queued call survived, it would have run by now.
        await Task.Delay(200);
        Assert.Equal(0, (await grain.GetCounters()).Executions);
    }

    [Fact]
    public async Task ExpiredOnArrival_IsNotExecuted_SoEvenANonIdempotentCallIsRetried()
    {
        var grain = Chaos("expired");

        // The first attempt arrives with no budget left: the silo must refuse it without running it. The call is
        // not idempotent, so the edge may retry only because the refusal says NotExecuted.
        Orleans.Runtime.RequestContext.Set(CallMetadataCarrier.Key, new CallMetadata(budgetMilliseconds: 0, attempt: 1));
        int count;
        try
        {
            count = await grain.Count().WaitAsync(Timeout);
        }
        finally
        {
            Orleans.Runtime.RequestContext.Clear();
        }

        Assert.Equal(1, count);
        Assert.Equal(1, (await grain.GetCounters()).Executions);
    }

    [Fact]
    public async Task MethodWithoutToken_IsAbandonedAtTheDeadline()
    {
        var clock = Stopwatch.StartNew();
        RpcDeadlineExceededException error;
        using (RpcCall.Deadline(TimeSpan.FromSeconds(1)))
        {
            error = await Assert.ThrowsAsync<RpcDeadlineExceededException>(() => Chaos("sleep").SleepWithoutToken(TimeSpan.FromSeconds(6)).WaitAsync(Timeout));
        }

        Assert.Equal(RpcStatus.DeadlineExceeded, error.Status);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task AttemptNumberSetAtTheClient_IsNotVisibleDownstream()
    {
        Orleans.Runtime.RequestContext.Set(CallMetadataCarrier.Key, new CallMetadata(budgetMilliseconds: 5_000, attempt: 3));
        IReadOnlyList<HopObservation> hops;
        try
        {
            hops = await Chaos("a").Relay(new RelayPlan([$"{_run}-b", $"{_run}-c"], LastHopAction.Succeed)).WaitAsync(Timeout);
        }
        finally
        {
            Orleans.Runtime.RequestContext.Clear();
        }

        Assert.Equal(3, hops[0].Attempt);
        Assert.Equal(1, hops[1].Attempt);
        Assert.Equal(1, hops[2].Attempt);
    }
}
