using System.Diagnostics;
using ReliableRpc.Client.Ledger;
using ReliableRpc.Client.Load;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Restarts;

/// <summary>
/// Real silo processes on a real redis-server, the shipped default options, and one client that is never
/// restarted: a rolling restart under load fails no call, and a full outage ends with the same client working.
/// </summary>
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RollingRestartOfAllThreeSilos_UnderLoad_FailsNoCallThatCanBeRepeated()
    {
        var defaults = new ReliableRpcOptions();
        output.WriteLine($"shipped defaults: deadline {defaults.Deadlines.DefaultDeadline}, attempts {defaults.Retries.Profiles[RetryProfile.Interactive].MaxAttempts}, attempt timeout {defaults.Retries.AttemptTimeout}, breaker ratio {defaults.CircuitBreaker.FailureRatio}, budget ratio {defaults.Retries.Budget.Ratio}");
        await using var scenario = await LedgerScenario.StartAsync("rolling", accounts: 300, seed: 11, TimeSpan.FromMinutes(5));
        var (cluster, ledger, timeout) = (scenario.Cluster, scenario.Ledger, scenario.Timeout);

        // Reads (idempotent), deposits (keyed), counts (neither: only NotExecuted failures may be retried).
        var load = new MixedLoad(("reads", ledger.ReadAsync), ("keyed deposits", ledger.DepositAsync), scenario.UnkeyedCounts);
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(timeout);
        var running = load.RunAsync(new LoadOptions(Rate: 200, Concurrency: 30, Duration: TimeSpan.FromMinutes(4)), stopLoad.Token);

        await Task.Delay(TimeSpan.FromSeconds(3), timeout);
        for (var i = 0; i < cluster.Count; i++)
        {
            var took = await cluster.StopSiloAsync(i);
            var clock = Stopwatch.StartNew();
            await cluster.StartSiloAsync(i);
            output.WriteLine($"silo {i}: graceful stop {took.TotalMilliseconds:0} ms, start {clock.Elapsed.TotalMilliseconds:0} ms");
        }

        await Task.Delay(TimeSpan.FromSeconds(3), timeout);
        stopLoad.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(60));
        load.Report(output);

        Assert.True(load.Total.Calls > 2_000, $"only {load.Total.Calls} calls ran");
        Assert.Equal(0, load.Of("reads").Failed);
        Assert.Equal(0, load.Of("keyed deposits").Failed);

        // An unkeyed count may run at most once, so a count whose answer Orleans loses can only fail as in doubt.
        // Orleans does lose a few: a reply routed back through the stopping silo's gateway after the client left
        // it waits there for the client and is discarded when the silo exits (see README, Rolling restarts). Seen:
        // 0 in most runs, 1-4 of ~1,300 in about one run of six, each waiting out its deadline. A count refused
        // before it ran is re-sent, so a "not executed" failure here would be a fault of ours (the kinds below), and
        // so would failures by the dozen (the bound: 1 %).
        var counts = load.Of("unkeyed counts");
        Assert.All(counts.FailuresByKind.Keys, kind => Assert.Matches("^(Unavailable|Unknown|DeadlineExceeded)$", kind));
        Assert.True(counts.Failed <= counts.Calls / 100, $"{counts.Failed} of {counts.Calls} unkeyed counts failed in doubt");
        Assert.True(load.Total.Max < defaults.Deadlines.DefaultDeadline + TimeSpan.FromSeconds(1), $"a call took {load.Total.Max}");
    }

    [Fact]
    public async Task FullOutage_CallsFailWithinTheirDeadline_ThenTheSameClientResumes()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        var account = connection.Client.GetGrain<IAccountGrain>("outage");
        await account.Deposit(5, timeout.Token);

        await Task.WhenAll(Enumerable.Range(0, cluster.Count).Select(cluster.StopSiloAsync));
        var outageStarted = Stopwatch.StartNew();
        var failures = new List<(RpcStatus Status, TimeSpan Took)>();
        while (outageStarted.Elapsed < TimeSpan.FromSeconds(30))
        {
            var clock = Stopwatch.StartNew();
            using (RpcCall.Deadline(TimeSpan.FromSeconds(3)))
            {
                // Unavailable as an RpcException (the Orleans exception inside), or the deadline as RpcDeadlineExceededException.
                var error = await Assert.ThrowsAnyAsync<Exception>(() => account.GetBalance(timeout.Token));
                failures.Add((RpcStatus.Of(error), clock.Elapsed));
            }
        }

        output.WriteLine($"{failures.Count} calls during the outage: {string.Join(", ", failures.GroupBy(f => f.Status).Select(g => $"{g.Count()} {g.Key}"))}; longest {failures.Max(f => f.Took).TotalMilliseconds:0} ms");
        Assert.All(failures, f =>
        {
            Assert.Contains(f.Status, new[] { RpcStatus.Unavailable, RpcStatus.DeadlineExceeded });
            Assert.True(f.Took < TimeSpan.FromSeconds(4), $"a call took {f.Took}");
        });

        await Task.WhenAll(Enumerable.Range(0, cluster.Count).Select(cluster.StartSiloAsync));
        var back = Stopwatch.StartNew();
        long balance = -1;
        while (balance < 0 && back.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                balance = await account.GetBalance(timeout.Token);
            }
            catch (Exception failure) when (RpcStatus.Of(failure) is RpcStatus.Unavailable or RpcStatus.DeadlineExceeded)
            {
                // The client reconnects in the background; keep asking.
            }
        }

        output.WriteLine($"the same client served again {back.Elapsed.TotalSeconds:0.0} s after the silos started");
        Assert.Equal(5, balance);
    }
}

/// <summary>A long-running keyed call while every silo restarts: it ends, and applies once.</summary>
public sealed class RestartDuringKeyedCallTests(ITestOutputHelper output)
{
    [Fact]
    public async Task LongKeyedCall_DuringARollingRestart_CompletesAndAppliesOnce()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        var counters = Enumerable.Range(0, 6).Select(i => connection.Client.GetGrain<IKeyedCounterGrain>($"slow-{i}")).ToArray();

        // Six calls of 1.5 s each, spread over both silos, then both silos restarted one after the other.
        var calls = counters.Select(c => c.AddSlowly(5, TimeSpan.FromMilliseconds(1_500), timeout.Token)).ToArray();
        await Task.Delay(300, timeout.Token);
        for (var i = 0; i < cluster.Count; i++)
        {
            await cluster.StopSiloAsync(i);
            await cluster.StartSiloAsync(i);
        }

        var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));
        var totals = await Task.WhenAll(counters.Select(c => c.Get()));
        output.WriteLine($"results {string.Join(",", results)}; totals {string.Join(",", totals.Select(t => t.Total))}");

        Assert.All(results, r => Assert.Equal(5, r));
        Assert.All(totals, t => Assert.Equal(5, t.Total));
    }
}
