using System.Globalization;
using System.Diagnostics;
using ReliableRpc.Client.Ledger;
using ReliableRpc.Client.Load;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Crashes;

/// <summary>
/// No false deaths: a loaded 3-silo cluster while a busy loop per core competes for the CPU declares no silo dead
/// with the shipped membership tuning (probes of 2–3 s, 2 misses). <c>RELIABLERPC_HOG_MINUTES</c> sets the length
/// (2 by default).
/// </summary>
public sealed class CpuHogTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BusyLoopOnEveryCore_UnderLoad_DeclaresNoSiloDead()
    {
        var duration = TimeSpan.FromMinutes(double.TryParse(Environment.GetEnvironmentVariable("RELIABLERPC_HOG_MINUTES"), CultureInfo.InvariantCulture, out var m) ? m : 2);
        await using var scenario = await LedgerScenario.StartAsync("hog", accounts: 200, seed: 3, duration + TimeSpan.FromMinutes(3));
        var (cluster, ledger, timeout) = (scenario.Cluster, scenario.Ledger, scenario.Timeout);

        var load = new MixedLoad(("reads", ledger.ReadAsync), ("keyed deposits", ledger.DepositAsync), ("transfers", ledger.TransferAsync));
        var running = load.RunAsync(new LoadOptions(Rate: 150, Concurrency: 40, Duration: duration), CancellationToken.None);
        var hogs = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(i => new ChildProcess($"hog-{i}", "sh", ["-c", "while :; do :; done"]))
            .ToList();
        var dead = new List<string>();
        var clock = Stopwatch.StartNew();
        try
        {
            while (!running.IsCompleted)
            {
                dead.AddRange((await RedisMembership.DeadSilosAsync(cluster.Redis, cluster.ClusterId)).Except(dead));
                await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(2), timeout));
            }
        }
        finally
        {
            foreach (var hog in hogs)
            {
                await hog.DisposeAsync();
            }
        }

        dead.AddRange((await RedisMembership.DeadSilosAsync(cluster.Redis, cluster.ClusterId)).Except(dead));
        await running;
        var audit = await scenario.AuditAsync();

        output.WriteLine($"{hogs.Count} busy loops for {clock.Elapsed.TotalSeconds:0} s; silos declared dead: {(dead.Count == 0 ? "none" : string.Join(", ", dead))}");
        load.Report(output);
        output.WriteLine($"audit: {audit.Completed} completed, {audit.Failed} failed, {audit.Discrepancies.Count} discrepancies");
        Assert.Empty(dead);
        Assert.True(audit.Reconciles, string.Join("; ", audit.Discrepancies.Take(5)));
    }
}
