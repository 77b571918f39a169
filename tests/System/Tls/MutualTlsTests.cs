using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ReliableRpc.Client.Connection;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.System.Infrastructure;
using ReliableRpc.Tls;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Tls;

/// <summary>Mutual TLS on real sockets: who gets in, who is refused and how fast, and that refusals harm nobody.</summary>
public sealed class MutualTlsTests(ITestOutputHelper output)
{
    /// <summary>What Orleans' TLS middleware logs when a handshake fails or times out.</summary>
    private static int HandshakeFailures(string siloOutput) =>
        siloOutput.Split('\n').Count(l => l.Contains("TlsServerConnectionMiddleware", StringComparison.Ordinal) || l.Contains("TlsClientConnectionMiddleware", StringComparison.Ordinal));

    [Fact]
    public async Task ValidClient_ReachesGrainsOnBothSilos_OverTls()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => connection.Client.GetGrain<IChaosGrain>($"tls-{i}").Count(timeout.Token)));

        // The management grain asks every silo: silo-to-silo calls, over TLS too.
        var management = connection.Client.GetGrain<IManagementGrain>(0);
        var hosts = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        var statistics = await management.GetRuntimeStatistics(hosts);
        output.WriteLine($"activations: {string.Join(", ", hosts.Zip(statistics, (h, s) => $"{h.Endpoint.Port}: {s.ActivationCount}"))}");
        Assert.Equal(2, hosts.Length);
        Assert.All(statistics, s => Assert.True(s.ActivationCount > 0, "a silo holds no grain"));
        Assert.All(cluster.AllOutput(), o => Assert.Contains("Mutual TLS on every link", o));
        Assert.Equal(0, cluster.AllOutput().Sum(HandshakeFailures));
    }

    [Fact]
    public async Task BadClients_AreRefusedQuickly_WithAClearError_AndTheClusterKeepsServing()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var gateway = cluster.GatewayPort(0);

        // Our client, plain TCP: the gateway hangs up; the client says TLS is required, without waiting out its timeout.
        var plain = await Refused(cluster, cluster.ClientOptions() with { Tls = new MutualTlsOptions { Enabled = false } }, timeout.Token);
        Assert.Contains("requires mutual TLS", plain.Message);

        // Our client with another CA's certificates: it refuses the gateway's certificate, and says why.
        var foreign = await Refused(cluster, cluster.ClientOptions() with { Tls = TestCertificates.Foreign.Client }, timeout.Token);
        Assert.Contains("not issued by the configured CA", foreign.Message);

        // Our client with another CA's certificate but our CA: its own check stops it before any connection.
        var mixed = TestCertificates.Foreign.Client;
        mixed.CaPath = TestCertificates.Cluster.Ca;
        var own = await Assert.ThrowsAsync<MutualTlsConfigurationException>(() => cluster.ConnectAsync(cluster.ClientOptions() with { Tls = mixed }, timeout.Token));
        output.WriteLine($"own check: {own.Message}");

        // Raw TLS clients, as an intruder would be: no certificate, another CA's, a silo certificate at the gateway.
        var noCertificate = await TlsProbe.TimeUntilRefusedAsync(gateway, null, TimeSpan.FromSeconds(10));
        using var foreignCertificate = Load(TestCertificates.Foreign.Client);
        var foreignCa = await TlsProbe.TimeUntilRefusedAsync(gateway, foreignCertificate, TimeSpan.FromSeconds(10));
        output.WriteLine($"raw refusals: no certificate {noCertificate.TotalMilliseconds:0} ms, foreign CA {foreignCa.TotalMilliseconds:0} ms");
        Assert.True(noCertificate < TimeSpan.FromSeconds(2), $"no certificate: {noCertificate}");
        Assert.True(foreignCa < TimeSpan.FromSeconds(2), $"foreign CA: {foreignCa}");
        // The silo logs the refusal from its console logger's queue: it may land a moment after the connection closed
        // (a check of the output at once failed once in a full run on 2026-12-03).
        await cluster.WaitForOutputAsync(0, "is not issued by the configured CA", TimeSpan.FromSeconds(10));

        await using var good = await cluster.ConnectAsync(timeout.Token);
        await good.Client.GetGrain<IAccountGrain>("after-refusals").Deposit(1, timeout.Token);
    }

    private async Task<ClusterUnreachableException> Refused(LocalCluster cluster, ClusterConnectionOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ClusterUnreachableException>(() => cluster.ConnectAsync(options, cancellationToken));
        output.WriteLine($"{clock.Elapsed.TotalMilliseconds:0} ms: {error.Message}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"refused only after {clock.Elapsed} (connect timeout {options.ConnectTimeout})");
        return error;
    }

    private static X509Certificate2 Load(MutualTlsOptions files) => X509Certificate2.CreateFromPemFile(files.CertificatePath!, files.KeyPath);

    [Fact]
    public async Task SiloWithAForeignCertificate_CannotJoin_AndTheClusterKeepsServing()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        var account = connection.Client.GetGrain<IAccountGrain>("foreign-silo");

        await using var intruder = SiloProcess.Launch(cluster.RedisServer, cluster.ClusterId, TestCertificates.Foreign);
        var clock = Stopwatch.StartNew();
        var calls = 0;
        while (!intruder.HasExited && clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            await account.Deposit(1, timeout.Token);
            calls++;
            await Task.Delay(100, timeout.Token);
        }

        output.WriteLine($"intruder exited: {intruder.HasExited} after {clock.Elapsed.TotalSeconds:0.0} s; {calls} calls meanwhile, all served");
        output.WriteLine(string.Join('\n', intruder.Output.Split('\n').Where(l => l.Contains("TLS", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase)).Take(8)));
        Assert.DoesNotContain("Application started", intruder.Output);
        // The silo logs the refusal from its console logger's queue: it may land a moment after the connection closed
        // (a check of the output at once failed once in a full run on 2026-12-03).
        await cluster.WaitForOutputAsync(0, "is not issued by the configured CA", TimeSpan.FromSeconds(10));
        var hosts = await connection.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Single(hosts);
        Assert.Equal(calls, await account.GetBalance(timeout.Token));
    }

    [Fact]
    public async Task GarbageHttpAndIdleConnections_AreDropped_AndTheSiloKeepsServing()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        var account = connection.Client.GetGrain<IAccountGrain>("garbage");
        await account.Deposit(1, timeout.Token);
        var gateway = cluster.GatewayPort(0);

        var garbage = await TlsProbe.TimeUntilClosedAsync(gateway, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray(), TimeSpan.FromSeconds(10));
        var http = await TlsProbe.TimeUntilClosedAsync(gateway, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), TimeSpan.FromSeconds(10));
        var idle = TlsProbe.TimeUntilClosedAsync(gateway, null, TimeSpan.FromSeconds(20));
        for (var i = 0; i < 20; i++)
        {
            await account.Deposit(1, timeout.Token);
            await Task.Delay(100, timeout.Token);
        }

        var idleClosed = await idle;
        output.WriteLine($"closed: garbage {garbage.TotalMilliseconds:0} ms, HTTP {http.TotalMilliseconds:0} ms, idle {idleClosed.TotalMilliseconds:0} ms (handshake timeout {new MutualTlsOptions().HandshakeTimeout})");
        Assert.True(garbage < TimeSpan.FromSeconds(2), $"garbage: {garbage}");
        Assert.True(http < TimeSpan.FromSeconds(2), $"HTTP: {http}");
        Assert.InRange(idleClosed, new MutualTlsOptions().HandshakeTimeout - TimeSpan.FromSeconds(1), new MutualTlsOptions().HandshakeTimeout + TimeSpan.FromSeconds(5));
        Assert.True(await account.GetBalance(timeout.Token) > 0);
        await cluster.WaitForOutputAsync(0, "Authentication timed out", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Redis_WithoutThePassword_IsRefused_TheSiloWithItWorks()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        await using (var anonymous = await ConnectionMultiplexer.ConnectAsync($"{cluster.RedisServer.ConnectionString},abortConnect=false,connectTimeout=2000"))
        {
            var refused = await Assert.ThrowsAnyAsync<RedisException>(() => anonymous.GetDatabase().PingAsync());
            output.WriteLine($"without the password: {refused.GetType().Name}: {refused.Message.Split('\n')[0]}");
        }

        await using (var authenticated = await ConnectionMultiplexer.ConnectAsync(cluster.Redis))
        {
            await authenticated.GetDatabase().PingAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        await connection.Client.GetGrain<IAccountGrain>("redis-password").Deposit(3, timeout.Token);
        Assert.DoesNotContain(cluster.RedisServer.Password, cluster.OutputOf(0));
    }
}
