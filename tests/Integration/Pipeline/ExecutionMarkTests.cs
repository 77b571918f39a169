using Orleans.Runtime;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Pipeline;

/// <summary>
/// Issue 23, finding 2: a failure's type and its execution are independent. An Orleans exception that says
/// "never sent" when the caller's own runtime raises it proves nothing when it leaves a method that ran: the
/// receiver marks it executed, and no caller re-sends the method for it.
/// </summary>
[Collection(ClusterCollection.Name)]
public class ExecutionMarkTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private IChaosGrain Chaos(string name) => fixture.Grains.GetGrain<IChaosGrain>($"{_run}-{name}");

    [Theory]
    [InlineData(nameof(ClientNotAvailableException))]
    [InlineData(nameof(SiloUnavailableException))]
    [InlineData(nameof(AggregateException))]
    public async Task OrleansExceptionFromAMethodThatRan_IsNotNotExecuted_AndTheMethodRunsOnce(string exceptionType)
    {
        // Before: mapped to NotExecuted = true at the client, the at-most-once method was re-sent until its deadline.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Chaos(exceptionType).Throw(exceptionType).WaitAsync(Timeout));

        // As thrown (an AggregateException is not unwrapped), and readable as a failure of a method that ran.
        Assert.Equal(exceptionType, error.GetType().Name);
        Assert.False(error.IsNotExecuted());
        Assert.Equal(1, (await Chaos(exceptionType).GetCounters()).Executions);
    }

    [Fact]
    public async Task AGrainsOwnTimeoutException_AfterTheEdgesRetries_ArrivesAsThrown_NotAsTheCallsDeadline()
    {
        // Review of issue 24: an idempotent call whose grain kept throwing its own TimeoutException was retried (the
        // status is DeadlineExceeded), then renamed "deadline of 10000 ms exceeded after 4 attempts" and thrown as
        // RpcDeadlineExceededException: the wrong type, the grain's stack gone, a deadline that had not passed.
        var plan = new RelayPlan([$"{_run}-timeout-b"], LastHopAction.Throw, ThrowType: nameof(TimeoutException));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => fixture.Grains.GetGrain<IChaosGrain>($"{_run}-timeout-a").Relay(plan).WaitAsync(Timeout));

        Assert.Equal("the grain's own timeout (its database, say)", error.Message);
        Assert.True((await fixture.Grains.GetGrain<IChaosGrain>($"{_run}-timeout-a").GetCounters()).Executions > 1, "the edge did not retry the relay");
    }

    [Fact]
    public async Task ObserverFailureAtTheLastHop_OfATwoHopChain_IsNotReSentAtTheHop_OnOneSiloOrAcross()
    {
        var (sameSilo, acrossSilos) = await FindPairs();
        foreach (var (first, second) in new[] { sameSilo, acrossSilos })
        {
            var plan = new RelayPlan([second], LastHopAction.Throw, ThrowType: nameof(ClientNotAvailableException));
            var error = await Assert.ThrowsAsync<ClientNotAvailableException>(() => fixture.Grains.GetGrain<IChaosGrain>(first).Relay(plan).WaitAsync(Timeout));
            Assert.False(error.IsNotExecuted());

            // The edge may repeat the idempotent relay; the hop must not repeat its call for a failure of a method that
            // ran (before: transparent retries at the hop ran the last hop many times per relay).
            var hops = (await fixture.Grains.GetGrain<IChaosGrain>(first).GetCounters()).Executions - 1; // one warm-up relay
            var lastHops = (await fixture.Grains.GetGrain<IChaosGrain>(second).GetCounters()).Executions - 1;
            Assert.InRange(hops, 1, 4);
            Assert.Equal(hops, lastHops);
        }
    }

    /// <summary>Two chains of two chaos grains, one on a single silo and one across both (placement is random).</summary>
    private async Task<((string, string) SameSilo, (string, string) AcrossSilos)> FindPairs()
    {
        (string, string)? same = null, across = null;
        for (var i = 0; i < 40 && (same is null || across is null); i++)
        {
            var (first, second) = ($"{_run}-pair{i}-a", $"{_run}-pair{i}-b");
            var seen = await fixture.Grains.GetGrain<IChaosGrain>(first).Relay(new RelayPlan([second], LastHopAction.Succeed)).WaitAsync(Timeout);
            if (seen[0].Silo == seen[1].Silo)
            {
                same ??= (first, second);
            }
            else
            {
                across ??= (first, second);
            }
        }

        Assert.True(same is not null && across is not null, "random placement gave no pair of each kind in 40 tries");
        return (same!.Value, across!.Value);
    }
}
