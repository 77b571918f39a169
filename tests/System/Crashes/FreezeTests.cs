using System.Diagnostics;
using ReliableRpc.Client.Ledger;
using ReliableRpc.Client.Load;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Crashes;

/// <summary>
/// SIGSTOP of a silo for 20 s under load, then SIGCONT: idempotent and keyed calls whose deadline covers the
/// detection of a frozen silo (≤ 8 s on a loaded 2-core machine) + reactivation + 1 s all succeed; the frozen
/// silo is declared dead, and on waking it stops itself; started again (as a supervisor would), it serves.
/// </summary>
public sealed class FreezeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task FrozenSilo_UnderLoad_FailsNoIdempotentOrKeyedCall_AndStopsItselfOnWaking()
    {
        await using var scenario = await LedgerScenario.StartAsync("freeze", accounts: 300, seed: 9, TimeSpan.FromMinutes(4));
        var (cluster, ledger, timeout) = (scenario.Cluster, scenario.Ledger, scenario.Timeout);

        var load = new MixedLoad(
            ("reads", (n, ct) => WithDeadline(ledger.ReadAsync, n, ct)),
            ("keyed deposits", (n, ct) => WithDeadline(ledger.DepositAsync, n, ct)),
            ("transfers", (n, ct) => WithDeadline(ledger.TransferAsync, n, ct)),
            scenario.UnkeyedCounts);
        using var stopLoad = new CancellationTokenSource();
        var running = load.RunAsync(new LoadOptions(Rate: 150, Concurrency: 40, Duration: TimeSpan.FromMinutes(3)), stopLoad.Token);

        await Task.Delay(TimeSpan.FromSeconds(3), timeout);
        cluster.Freeze(1, freeze: true);
        var frozen = Stopwatch.StartNew();
        TimeSpan? declaredDead = null;
        while (frozen.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (declaredDead is null && await RedisMembership.IsDeadAsync(cluster.Redis, cluster.ClusterId, cluster.SiloPort(1)))
            {
                declaredDead = frozen.Elapsed;
            }

            await Task.Delay(200, timeout);
        }

        cluster.Freeze(1, freeze: false);
        var stoppedItself = await cluster.WaitForExitAsync(1, TimeSpan.FromSeconds(30));
        await cluster.StartSiloAsync(1);
        await Task.Delay(TimeSpan.FromSeconds(3), timeout);
        stopLoad.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(60));
        var audit = await scenario.AuditAsync();

        output.WriteLine($"declared dead {declaredDead?.TotalMilliseconds:0} ms after SIGSTOP; stopped itself on SIGCONT: {stoppedItself}");
        load.Report(output);
        output.WriteLine($"audit: {audit.Completed} completed, {audit.Failed} failed, {audit.Resumed} finished by the check, {audit.Discrepancies.Count} discrepancies");

        Assert.NotNull(declaredDead);
        Assert.True(declaredDead < TimeSpan.FromSeconds(10), $"declared dead after {declaredDead}");
        Assert.True(stoppedItself, "the silo declared dead while frozen did not stop itself on waking");
        Assert.Equal(0, load.Of("reads").Failed);
        Assert.Equal(0, load.Of("keyed deposits").Failed);
        Assert.Equal(0, load.Of("transfers").Failed);
        Assert.All(load.Of("unkeyed counts").FailuresByKind.Keys, kind => Assert.Matches("^(Unavailable|Unknown|DeadlineExceeded)", kind));
        Assert.True(load.Total.Max < SurvivingDeadline + TimeSpan.FromSeconds(1), $"a call took {load.Total.Max}");
        Assert.True(audit.Reconciles, string.Join("; ", audit.Discrepancies.Take(5)));
    }

    /// <summary>
    /// The documented deadline for calls that must survive a freeze: detection (6.5–8 s) + reactivation + 1 s,
    /// rounded up. The 10 s default covers an idle machine's 7 s detection but not always a loaded one's 8 s.
    /// </summary>
    private static readonly TimeSpan SurvivingDeadline = TimeSpan.FromSeconds(15);

    private static async Task WithDeadline(Func<long, CancellationToken, Task> call, long n, CancellationToken cancellationToken)
    {
        using var deadline = RpcCall.Deadline(SurvivingDeadline);
        await call(n, cancellationToken);
    }
}
