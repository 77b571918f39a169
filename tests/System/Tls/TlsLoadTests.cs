using System.Diagnostics;
using ReliableRpc.Client.Connection;
using ReliableRpc.Client.Load;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Tls;

/// <summary>TLS under churn, sustained load and certificate rotation: no handshake fails, no call fails.</summary>
public sealed class TlsLoadTests(ITestOutputHelper output)
{
    /// <summary>Soak length: RELIABLERPC_TLS_SOAK_SECONDS (e.g. 120 or more by hand), 30 s by default to keep CI short.</summary>
    private static TimeSpan SoakDuration =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("RELIABLERPC_TLS_SOAK_SECONDS"), out var s) && s > 0 ? s : 30);

    private static int HandshakeFailures(IEnumerable<string> outputs) => outputs.Sum(o => o.Split('\n').Count(l =>
        l.Contains("Authentication failed", StringComparison.Ordinal) || l.Contains("Authentication timed out", StringComparison.Ordinal) || l.Contains("TLS peer refused", StringComparison.Ordinal)));

    [Fact]
    public async Task TwoHundredConnectCallDisconnectCycles_NoHandshakeFails()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));

        // Straight to the gateways (no Redis look-up per cycle): what is measured is the connection and its handshake.
        var options = cluster.ClientOptions() with { Redis = null, GatewayPorts = [cluster.GatewayPort(0), cluster.GatewayPort(1)] };
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                await using var connection = await ClusterConnection.ConnectAsync(options, timeout.Token);
                await connection.Client.GetGrain<IChaosGrain>($"cycle-{i % 20}").Count(timeout.Token);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                failures.Add($"{i}: {error.Message}");
            }
        }

        var handshakeFailures = HandshakeFailures(cluster.AllOutput());
        output.WriteLine($"200 cycles in {clock.Elapsed.TotalSeconds:0.0} s ({clock.Elapsed.TotalMilliseconds / 200:0} ms each); {failures.Count} failed; silo-side handshake failures {handshakeFailures}");
        Assert.Empty(failures);
        Assert.Equal(0, handshakeFailures);
    }

    [Fact]
    public async Task SustainedLoadWithConnectionChurn_NoHandshakeOrCallFails()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        using var timeout = new CancellationTokenSource(SoakDuration + TimeSpan.FromMinutes(3));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        var load = new MixedLoad(
            ("counts", (n, ct) => connection.Client.GetGrain<IChaosGrain>($"soak-{n % 200}").Count(ct)),
            ("deposits", (n, ct) => connection.Client.GetGrain<IAccountGrain>($"soak-{n % 100}").Deposit(1, ct)));
        var running = load.RunAsync(new LoadOptions(Rate: 200, Concurrency: 30, Duration: SoakDuration), timeout.Token);

        // Alongside, a new client every second: handshakes keep happening under load.
        var churn = 0;
        var churnFailures = 0;
        while (!running.IsCompleted)
        {
            try
            {
                await using var other = await cluster.ConnectAsync(timeout.Token);
                await other.Client.GetGrain<IChaosGrain>($"churn-{churn % 10}").Count(timeout.Token);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                churnFailures++;
                output.WriteLine($"churn {churn}: {error.Message}");
            }

            churn++;
            await Task.Delay(1000, timeout.Token);
        }

        await running;
        var handshakeFailures = HandshakeFailures(cluster.AllOutput());
        load.Report(output);
        output.WriteLine($"soak {SoakDuration.TotalSeconds:0} s: {load.Total.Calls} calls, {load.Total.Failed} failed; {churn} extra connections, {churnFailures} failed; handshake failures {handshakeFailures}");
        Assert.Equal(0, load.Total.Failed);
        Assert.Equal(0, churnFailures);
        Assert.Equal(0, handshakeFailures);
    }

    [Fact]
    public async Task RotatingSiloCertificates_DuringARollingRestart_FailsNoCall()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        var load = new MixedLoad(
            ("reads", (n, ct) => connection.Client.GetGrain<IAccountGrain>($"rotate-{n % 100}").GetBalance(ct)),
            // Keyed, so retry-safe: this test is about certificates. What a rolling restart does to at-most-once calls
            // is RollingRestartTests' business (one such call here once hung to its deadline; see the README).
            ("keyed deposits", (n, ct) => connection.Client.GetGrain<IAccountGrain>($"rotate-{n % 100}").Deposit(1, ct)));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var running = load.RunAsync(new LoadOptions(Rate: 150, Concurrency: 20, Duration: TimeSpan.FromMinutes(4)), stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token);

        // New leaf certificates from the same CA; each silo restarts with them, one at a time, the other still on the old.
        cluster.SiloCertificates = TestCertificates.Rotated("rolling");
        for (var i = 0; i < cluster.Count; i++)
        {
            await cluster.StopSiloAsync(i);
            await cluster.StartSiloAsync(i);
        }

        // A client with a rotated certificate is accepted too.
        cluster.ClientCertificates = cluster.SiloCertificates;
        await using (var rotated = await cluster.ConnectAsync(timeout.Token))
        {
            await rotated.Client.GetGrain<IChaosGrain>("rotated-client").Count(timeout.Token);
        }

        await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token);
        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(60));
        load.Report(output);
        Assert.True(load.Total.Calls > 1_000, $"only {load.Total.Calls} calls ran");
        Assert.Equal(0, load.Total.Failed);
        Assert.Equal(0, HandshakeFailures(cluster.AllOutput()));
    }
}
