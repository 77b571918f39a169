using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.System.Infrastructure;

namespace ReliableRpc.Tests.System.Ledger;

/// <summary>Idempotency records on real Redis persistence outlive their silo.</summary>
public sealed class IdempotencyOnRedisTests
{
    [Fact]
    public async Task KeyedDeposit_RepeatedAfterItsSiloStopsAndTheGrainMoves_IsNotAppliedAgain()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        var accounts = Enumerable.Range(0, 10).Select(i => connection.Client.GetGrain<IAccountGrain>($"idem-{i}")).ToArray();

        foreach (var (account, i) in accounts.Select((a, i) => (a, i)))
        {
            using (RpcCall.IdempotencyKey($"opening-{i}"))
            {
                Assert.Equal(100, await account.Deposit(100, timeout.Token));
            }
        }

        // Stop one silo: the accounts it held move to the other, reloading their state (and records) from Redis.
        await cluster.StopSiloAsync(0);
        foreach (var (account, i) in accounts.Select((a, i) => (a, i)))
        {
            using (RpcCall.IdempotencyKey($"opening-{i}"))
            {
                Assert.Equal(100, await account.Deposit(100, timeout.Token));
            }

            Assert.Equal(100, await account.GetBalance(timeout.Token));
        }
    }
}
