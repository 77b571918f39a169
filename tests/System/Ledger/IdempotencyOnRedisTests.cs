using ReliableRpc.Client.Connection;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.System.Infrastructure;

namespace ReliableRpc.Tests.System.Ledger;

/// <summary>Idempotency records on real Redis persistence outlive their silo.</summary>
public sealed class IdempotencyOnRedisTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _started = new();
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _started.Add(_redis);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_started))
        {
            await process.DisposeAsync();
        }
    }

    [Fact]
    public async Task KeyedDeposit_RepeatedAfterItsSiloStopsAndTheGrainMoves_IsNotAppliedAgain()
    {
        var clusterId = $"idem-{Guid.NewGuid():N}"[..16];
        var silos = new[] { await Start(clusterId), await Start(clusterId) };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var connection = await ClusterConnection.ConnectAsync(
            new ClusterConnectionOptions(_redis.ConnectionString, [], clusterId, "reliablerpc", TimeSpan.FromSeconds(30), Verbose: false), timeout.Token);
        var accounts = Enumerable.Range(0, 10).Select(i => connection.Client.GetGrain<IAccountGrain>($"idem-{i}")).ToArray();

        foreach (var (account, i) in accounts.Select((a, i) => (a, i)))
        {
            using (RpcCall.IdempotencyKey($"opening-{i}"))
            {
                Assert.Equal(100, await account.Deposit(100, timeout.Token));
            }
        }

        // Stop one silo: the accounts it held move to the other, reloading their state (and records) from Redis.
        await silos[0].StopGracefullyAsync();
        foreach (var (account, i) in accounts.Select((a, i) => (a, i)))
        {
            using (RpcCall.IdempotencyKey($"opening-{i}"))
            {
                Assert.Equal(100, await account.Deposit(100, timeout.Token));
            }

            Assert.Equal(100, await account.GetBalance(timeout.Token));
        }
    }

    private async Task<SiloProcess> Start(string clusterId)
    {
        var silo = await SiloProcess.StartAsync(_redis.ConnectionString, clusterId);
        _started.Add(silo);
        return silo;
    }
}
