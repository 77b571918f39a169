using System.Diagnostics;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Pipeline;

/// <summary>The client's circuit for one interface, with the shipped defaults (ratio 0.5, 20 calls, 10 s window, 5 s break).</summary>
[Collection(ClusterCollection.Name)]
public class CircuitBreakerTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OverloadedTarget_OpensTheCircuit_StopsExecutions_ThenClosesAfterRecovery()
    {
        var probe = fixture.Grains.GetGrain<IBreakerProbeGrain>("breaker");
        var counter = fixture.Grains.GetGrain<IExecutionCounter>("breaker");

        var statuses = new List<RpcException>();
        for (var i = 0; i < 30; i++)
        {
            statuses.Add(await Assert.ThrowsAsync<RpcException>(() => probe.Work(fail: true).WaitAsync(Timeout)));
        }

        Assert.Contains(statuses, e => e.Status == RpcStatus.Internal);
        var rejected = statuses.SkipWhile(e => e.Status == RpcStatus.Internal).ToList();
        Assert.NotEmpty(rejected);
        Assert.All(rejected, e => Assert.Equal((RpcStatus.Unavailable, true), (e.Status, e.NotExecuted)));

        // While open, nothing reaches the grain.
        var executions = await counter.GetExecutions().WaitAsync(Timeout);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => probe.Work(fail: false).WaitAsync(Timeout));
            Assert.True(error.NotExecuted);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"open-circuit rejections took {clock.Elapsed}");
        Assert.Equal(executions, await counter.GetExecutions().WaitAsync(Timeout));

        // After the break a probe goes through, succeeds, and the circuit closes.
        await Eventually.True(async () =>
        {
            try
            {
                await probe.Work(fail: false);
                return true;
            }
            catch (Exception open) when (open.IsNotExecuted())
            {
                return false;
            }
        }, "the circuit half-opens and the probe succeeds", TimeSpan.FromSeconds(15));
        for (var i = 0; i < 5; i++)
        {
            await probe.Work(fail: false).WaitAsync(Timeout);
        }
    }
}
