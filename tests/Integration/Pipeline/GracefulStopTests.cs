using Orleans.TestingHost;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Pipeline;

/// <summary>A cluster of its own, since the test stops one of its silos.</summary>
public sealed class GracefulStopTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterFixture.StartAsync(silos: 3);

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Deposits_WhileASiloStopsGracefully_AllSucceedAndApplyOnce()
    {
        var accounts = Enumerable.Range(0, 300).Select(i => $"stop-{i}").ToArray();
        var stopping = _cluster.SecondarySilos[0];
        var deposits = 0;
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Deposits are not idempotent: only NotExecuted rejections may be retried, so every one must succeed
        // without any being applied twice.
        var load = Task.WhenAll(Enumerable.Range(0, 20).Select(async worker =>
        {
            for (var i = worker; i < 3_000; i += 20)
            {
                await _cluster.Client.GetGrain<IAccountGrain>(accounts[i % accounts.Length]).Deposit(1);
                Interlocked.Increment(ref deposits);
            }
        }));
        await Eventually.True(() => Task.FromResult(Volatile.Read(ref deposits) > 300), "load is running");
        await _cluster.StopSiloAsync(stopping);
        await load.WaitAsync(done.Token);

        Assert.Equal(3_000, deposits);
        long total = 0;
        foreach (var id in accounts)
        {
            total += await _cluster.Client.GetGrain<IAccountGrain>(id).GetBalance();
        }

        Assert.Equal(3_000, total);
    }
}
