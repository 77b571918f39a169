using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.System.Infrastructure;
using ReliableRpc.Tls;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Tls;

/// <summary>
/// Redis over TLS, as the local cluster runs it: tls-port only, a client certificate required, the cluster's own CA
/// on both sides. Silos and clients reach it with <c>ssl=true</c>; nobody gets in without TLS and a certificate.
/// </summary>
public sealed class RedisTlsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OverTlsToRedis_SilosJoinAndServe_AndNoConnectionWithoutTlsAndACertificateGetsIn()
    {
        await using var cluster = await LocalCluster.StartAsync(await RedisServer.StartAsync(TestCertificates.Cluster), 2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        for (var i = 0; i < 40; i++)
        {
            await connection.Client.GetGrain<IAccountGrain>($"redis-tls-{i}").Deposit(5, timeout.Token);
        }

        // Both silos joined through membership rows in Redis, and every deposit was a state write there.
        var management = connection.Client.GetGrain<IManagementGrain>(0);
        Assert.Equal(5, await connection.Client.GetGrain<IAccountGrain>("redis-tls-7").GetBalance(timeout.Token));
        Assert.Equal(2, (await management.GetHosts(onlyActive: true)).Count);
        Assert.All(cluster.AllOutput(), o => Assert.DoesNotContain("Redis link", o));

        var server = cluster.RedisServer;
        var plain = await Refusal($"127.0.0.1:{server.Port},password={server.Password}");
        var anonymousTls = await Refusal($"127.0.0.1:{server.Port},password={server.Password},ssl=true", clientCertificate: false);
        output.WriteLine($"plain TCP: {plain}");
        output.WriteLine($"TLS without a client certificate: {anonymousTls}");

        // With TLS, a certificate of the cluster's CA and the password, the test itself gets in and sees the silos' rows.
        await using var admitted = await ConnectionMultiplexer.ConnectAsync(Options($"127.0.0.1:{server.Port},password={server.Password},ssl=true", clientCertificate: true));
        var keys = 0;
        await foreach (var _ in admitted.GetServers()[0].KeysAsync(pattern: "*"))
        {
            keys++;
        }

        Assert.True(keys > 0, "no key in Redis: the silos did not write through TLS");
    }

    private static ConfigurationOptions Options(string connectionString, bool clientCertificate)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 3_000;
        var credentials = MutualTlsCredentials.Load(TestCertificates.Cluster.Client, TlsPeerRole.Client);
        options.CertificateValidation += credentials.ValidateServerCertificate;
        if (clientCertificate)
        {
            options.CertificateSelection += credentials.SelectClientCertificate;
        }

        return options;
    }

    private static async Task<string> Refusal(string connectionString, bool clientCertificate = false)
    {
        var refused = await Assert.ThrowsAnyAsync<RedisException>(async () =>
        {
            await using var attempt = await ConnectionMultiplexer.ConnectAsync(Options(connectionString, clientCertificate));
            await attempt.GetDatabase().PingAsync();
        });
        return $"{refused.GetType().Name}: {refused.Message.Split('\n')[0]}";
    }
}
