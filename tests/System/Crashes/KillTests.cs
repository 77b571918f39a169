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
        await using var scenario = await LedgerScenario.StartAsync("kill", accounts: 300, seed: 5, TimeSpan.FromMinutes(4));
        var (cluster, ledger, timeout) = (scenario.Cluster, scenario.Ledger, scenario.Timeout);
        var management = scenario.Client.GetGrain<IManagementGrain>(0);

        var load = new MixedLoad(("reads", ledger.ReadAsync), ("keyed deposits", ledger.DepositAsync), ("transfers", ledger.TransferAsync), scenario.UnkeyedCounts);
        using var stopLoad = new CancellationTokenSource();
        var running = load.RunAsync(new LoadOptions(Rate: 200, Concurrency: 40, Duration: TimeSpan.FromMinutes(3)), stopLoad.Token);

        await Task.Delay(TimeSpan.FromSeconds(5), timeout);
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

            await Task.Delay(100, timeout);
        }

        await Task.Delay(TimeSpan.FromSeconds(10), timeout);
        stopLoad.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(60));
        var audit = await scenario.AuditAsync();

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
