using ReliableRpc.Client.Ledger;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Ledger;

/// <summary>Two real silo processes on a real redis-server; one is stopped gracefully between two batches of transfers.</summary>
public sealed class GracefulStopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Transfers_WithOneSiloStoppedBetweenBatches_AllFinishAndEveryAccountReconciles()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var connection = await cluster.ConnectAsync(timeout.Token);

        var ledger = new LedgerWorkload(connection.Client, "graceful", accounts: 40, openingBalance: 1_000, seed: 7);
        await ledger.OpenAccountsAsync(concurrency: 8, timeout.Token);
        var before = await ledger.TotalMoneyAsync(timeout.Token);

        var first = await RunBatch(ledger, 0, 200, timeout.Token);
        var stopTook = await cluster.StopSiloAsync(0);
        output.WriteLine($"silo 0 stopped gracefully in {stopTook.TotalMilliseconds:0} ms");
        var second = await RunBatch(ledger, 200, 200, timeout.Token);

        var audit = await LedgerAudit.RunAsync(connection.Client, ledger.AccountIds, ledger.Transfers, timeout.Token);
        output.WriteLine($"batch 1: {first} failed calls; batch 2 (one silo left): {second} failed calls; audit resumed {audit.Resumed}, completed {audit.Completed}, failed {audit.Failed}");

        Assert.Equal(400, audit.Transfers);
        Assert.True(audit.Reconciles, string.Join("\n", audit.Discrepancies.Take(10)));
        Assert.Equal(before, audit.TotalMoney);
        Assert.Equal(0, first);
        Assert.Equal(0, second);
        Assert.Equal(400, audit.Completed);
    }

    /// <summary>Runs <paramref name="count"/> transfers, 10 at a time; returns how many calls failed.</summary>
    private static async Task<int> RunBatch(LedgerWorkload ledger, int from, int count, CancellationToken cancellationToken)
    {
        var failed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(from, count), new ParallelOptions { MaxDegreeOfParallelism = 10, CancellationToken = cancellationToken },
            async (n, ct) =>
            {
                try
                {
                    await ledger.TransferAsync(n, ct);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failed);
                }
            });
        return failed;
    }
}
