using System.Diagnostics;
using ReliableRpc.Client.Load;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Outages;

/// <summary>
/// Issue 26, part 2 (first step): Redis, which every silo shares for membership, grain state and reminders, frozen
/// (SIGSTOP) for 15 s under load, then thawed. What holds today is asserted: nothing acknowledged is lost or applied
/// twice, no silo is declared dead because of Redis, writes fail only in doubt, and almost every read of an active
/// grain is served. Not yet all: a read queued behind a write that waits on storage waits too, and its retry may find
/// the retry budget spent by the timed-out writes (1 of 1,301 reads failed on 2026-12-03). How long calls stall
/// (~10 s) is reported, not asserted: the storage gate that is to bound it is not built yet.
/// </summary>
public sealed class RedisFreezeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Frozen = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task RedisFrozen_NoSiloDies_WritesFailInDoubt_AndNothingIsLostOrAppliedTwice()
    {
        await using var scenario = await LedgerScenario.StartAsync("redis-freeze", accounts: 200, seed: 13, TimeSpan.FromMinutes(4));
        var (cluster, ledger, timeout) = (scenario.Cluster, scenario.Ledger, scenario.Timeout);

        // Every account was opened (activated) before the load: its reads need no storage.
        var load = new MixedLoad(
            ("reads", ledger.ReadAsync),
            ("keyed deposits", ledger.DepositAsync),
            ("transfers", ledger.TransferAsync));
        using var stopLoad = new CancellationTokenSource();
        var running = load.RunAsync(new LoadOptions(Rate: 150, Concurrency: 30, Duration: TimeSpan.FromMinutes(3)), stopLoad.Token);

        await Task.Delay(TimeSpan.FromSeconds(3), timeout);
        cluster.RedisServer.Freeze(true);
        var frozen = Stopwatch.StartNew();
        try
        {
            await Task.Delay(Frozen, timeout);
        }
        finally
        {
            cluster.RedisServer.Freeze(false);
        }

        output.WriteLine($"Redis frozen for {frozen.Elapsed.TotalSeconds:0.0} s");
        await Task.Delay(TimeSpan.FromSeconds(8), timeout);
        stopLoad.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(60));
        var dead = await RedisMembership.DeadSilosAsync(cluster.Redis, cluster.ClusterId);
        var audit = await scenario.AuditAsync();

        load.Report(output);
        output.WriteLine($"silos declared dead: {dead.Count}; audit: {audit.Completed} completed, {audit.Failed} failed, {audit.Resumed} finished by the check, {audit.Discrepancies.Count} discrepancies");

        var reads = load.Of("reads");
        Assert.True(reads.Failed <= reads.Calls / 100, $"{reads.Failed} of {reads.Calls} reads failed");
        Assert.All(reads.FailuresByKind.Keys, kind => Assert.Equal("DeadlineExceeded", kind));
        Assert.Empty(dead);
        Assert.All(Enumerable.Range(0, cluster.Count), i => Assert.True(cluster.IsRunning(i), $"silo {i} stopped"));
        foreach (var writes in new[] { "keyed deposits", "transfers" })
        {
            // A write held by frozen storage ends at its deadline, its outcome unknown, or is refused by the storage's ETag
            // check (Aborted: "another activation wrote since this one read; nothing was written", seen once in a full
            // run on 2026-12-03); the audit below shows which were applied. Never a status that says something else.
            Assert.All(load.Of(writes).FailuresByKind.Keys, kind => Assert.Matches("^(DeadlineExceeded|Unavailable|Unknown|Aborted)$", kind));
        }

        Assert.True(audit.Reconciles, string.Join("; ", audit.Discrepancies.Take(5)));
    }
}
