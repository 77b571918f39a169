using System.Diagnostics;
using ReliableRpc.Client.Ledger;
using ReliableRpc.Client.Load;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Crashes;

/// <summary>kill -9 of the busiest silo under load, shipped defaults: idempotent and keyed calls all succeed.</summary>
public sealed class KillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillOfTheBusiestSilo_UnderLoad_FailsNoIdempotentOrKeyedCall_AndIsDeclaredDeadWithinFiveSeconds()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        var ledger = new LedgerWorkload(connection.Client, "kill", accounts: 300, openingBalance: 1_000_000, seed: 5);
        await ledger.OpenAccountsAsync(concurrency: 20, timeout.Token);
        var management = connection.Client.GetGrain<IManagementGrain>(0);

        var load = new MixedLoad(
            ("reads", ledger.ReadAsync),
            ("keyed deposits", ledger.DepositAsync),
            ("transfers", ledger.TransferAsync),
            ("unkeyed counts", (n, ct) => connection.Client.GetGrain<IChaosGrain>($"count-{n % 100}").Count(ct)));
        using var stopLoad = new CancellationTokenSource();
        var running = load.RunAsync(new LoadOptions(Rate: 200, Concurrency: 40, Duration: TimeSpan.FromMinutes(3)), stopLoad.Token);

        await Task.Delay(TimeSpan.FromSeconds(5), timeout.Token);
        var hosts = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        var statistics = await management.GetRuntimeStatistics(hosts);
        var activations = hosts.Zip(statistics, (silo, s) => (Port: silo.Endpoint.Port, s.ActivationCount)).ToList();
        var busiest = Enumerable.Range(0, cluster.Count).MaxBy(i => activations.FirstOrDefault(a => a.Port == cluster.SiloPort(i)).ActivationCount);
        output.WriteLine($"activations per silo: {string.Join(", ", activations.Select(a => $"{a.Port}: {a.ActivationCount}"))}; killing silo {busiest}");

        await cluster.KillSiloAsync(busiest);
        var killed = Stopwatch.StartNew();
        TimeSpan? declaredDead = null;
        while (killed.Elapsed < TimeSpan.FromSeconds(30) && declaredDead is null)
        {
            if (await RedisMembership.IsDeadAsync(cluster.Redis, cluster.ClusterId, cluster.SiloPort(busiest)))
            {
                declaredDead = killed.Elapsed;
            }

            await Task.Delay(100, timeout.Token);
        }

        await Task.Delay(TimeSpan.FromSeconds(10), timeout.Token);
        stopLoad.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(60));
        var audit = await LedgerAudit.RunAsync(connection.Client, ledger.AccountIds, ledger.Transfers, timeout.Token);

        output.WriteLine($"declared dead after {declaredDead?.TotalMilliseconds:0} ms");
        load.Report(output);
        output.WriteLine($"audit: {audit.Completed} completed, {audit.Failed} failed, {audit.Resumed} finished by the check, {audit.Discrepancies.Count} discrepancies");
        Assert.NotNull(declaredDead);
        Assert.True(declaredDead < TimeSpan.FromSeconds(5), $"declared dead after {declaredDead}");
        Assert.Equal(0, load.Of("reads").Failed);
        Assert.Equal(0, load.Of("keyed deposits").Failed);
        Assert.Equal(0, load.Of("transfers").Failed);
        Assert.All(load.Of("unkeyed counts").FailuresByKind.Keys, kind => Assert.Matches("^(Unavailable|Unknown|DeadlineExceeded)$", kind));
        Assert.True(load.Total.Max < new ReliableRpcOptions().Deadlines.DefaultDeadline + TimeSpan.FromSeconds(1), $"a call took {load.Total.Max}");
        Assert.True(audit.Reconciles, string.Join("; ", audit.Discrepancies.Take(5)));
    }
}
