using ReliableRpc.Client.Connection;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.System.Infrastructure;

namespace ReliableRpc.Tests.System.Telemetry;

/// <summary>A real silo process serves the pipeline's metrics on its Prometheus endpoint.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task SiloMetricsEndpoint_ServesTheReliableRpcMetrics()
    {
        await using var redis = await RedisServer.StartAsync();
        var clusterId = $"metrics-{Guid.NewGuid():N}"[..16];
        var metricsPort = FreePorts.Next();
        await using var silo = await SiloProcess.StartAsync(redis, clusterId, TestCertificates.Cluster, null, null, "--metrics-port", metricsPort.ToString());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using (var connection = await ClusterConnection.ConnectAsync(
            new ClusterConnectionOptions(redis.ConnectionString, [], clusterId, "reliablerpc", TimeSpan.FromSeconds(30), Verbose: false,
                Tls: TestCertificates.Cluster.Client, RedisPassword: redis.Password), timeout.Token))
        {
            // The transfer grain calls the accounts from inside the silo, through the silo's own pipeline.
            var transfer = connection.Client.GetGrain<ITransferGrain>("metrics-transfer");
            await connection.Client.GetGrain<IAccountGrain>("metrics-a").Deposit(10, timeout.Token);
            await transfer.Execute(new TransferRequest("metrics-a", "metrics-b", 5), timeout.Token);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string body = "";
        for (var i = 0; i < 50 && !body.Contains("reliablerpc_breaker_state", StringComparison.Ordinal); i++)
        {
            body = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics", timeout.Token);
            await Task.Delay(200, timeout.Token);
        }

        // Calls made inside a method are hops (edge metrics such as durations are the client's), but every
        // interface the silo calls has a circuit whose state it publishes.
        Assert.Contains("reliablerpc_breaker_state", body);
        Assert.Contains("rpc_service=\"IAccountGrain\"", body);

        // Mutual TLS is on: the silo publishes how long its certificates have left (the expiry alert's input).
        Assert.Contains("reliablerpc_tls_certificate_expiry_seconds{", body);
    }
}
