using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using ReliableRpc.Tls;
using StackExchange.Redis;

namespace ReliableRpc.Client.Connection;

/// <summary>A started Orleans client host; disposing it disconnects.</summary>
internal sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The connected client.</summary>
    public IClusterClient Client { get; }

    /// <summary>
    /// Connects to the cluster, giving up after <see cref="ClusterConnectionOptions.ConnectTimeout"/> with a
    /// <see cref="ClusterUnreachableException"/> (Orleans alone would keep retrying for minutes), or at once when the
    /// gateways refuse this client's TLS (or its lack of it).
    /// </summary>
    /// <exception cref="MutualTlsConfigurationException">The TLS settings are incomplete or their files unusable.</exception>
    public static async Task<ClusterConnection> ConnectAsync(ClusterConnectionOptions options, CancellationToken cancellationToken)
    {
        var tlsOptions = options.Tls ?? new MutualTlsOptions();
        var tls = MutualTlsCredentials.IsWanted(tlsOptions, requireUnlessChosen: !string.IsNullOrWhiteSpace(options.Redis), "A client of a cluster on Redis")
            ? MutualTlsCredentials.Load(tlsOptions, TlsPeerRole.Client)
            : null;
        if (tlsOptions.Enabled == false)
        {
            await Console.Error.WriteLineAsync("warning: plain TCP (--plain-tcp): this client's calls are neither encrypted nor authenticated");
        }

        foreach (var soon in tls?.ExpiringWithin(TimeSpan.FromDays(tlsOptions.ExpiryWarningDays), DateTimeOffset.UtcNow) ?? [])
        {
            await Console.Error.WriteLineAsync($"warning: TLS certificate '{soon.Subject}' expires {soon.NotAfter.ToUniversalTime():u}");
        }

        var observer = tls is null ? null : new TlsHandshakeObserver();
        var refusals = new RefusalDetector(observer);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = Array.Empty<string>() });
        builder.Logging.ClearProviders();
        if (options.Verbose)
        {
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Information);
        }

        var deadline = Stopwatch.StartNew();
        Exception? lastError = null;
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            if (string.IsNullOrWhiteSpace(options.Redis))
            {
                client.UseLocalhostClustering(options.GatewayPorts.ToArray(), options.ServiceId, options.ClusterId);
            }
            else
            {
                var redis = ConfigurationOptions.Parse(options.Redis);
                redis.AbortOnConnectFail = false;
                if (options.RedisPassword is not null)
                {
                    redis.Password = options.RedisPassword;
                }

                if (redis.Ssl && tls is not null)
                {
                    // Redis over TLS (ssl=true), as the silos reach it: our CA, our certificate.
                    redis.CertificateValidation += tls.ValidateServerCertificate;
                    redis.CertificateSelection += tls.SelectClientCertificate;
                }

                client.UseRedisClustering(o => o.ConfigurationOptions = redis);
            }

            client.AddReliableRpc(rpc =>
            {
                rpc.Enabled = options.Pipeline;
                options.ConfigurePipeline?.Invoke(rpc);
            });
            client.AddActivityPropagation();

            // The gateway list re-read every second, as a user's app gets it with the same call.
            client.UseReliableRpcClusterDefaults();
            // First, so it sees every TCP connection before TLS (if any) can drop it.
            client.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(c => c.Use(next => context => refusals.Watch(context, next))));
            if (tls is not null)
            {
                client.UseMutualTls(tls, observer);
            }

            client.UseConnectionRetryFilter(async (exception, ct) =>
            {
                lastError = exception;

                // A refused handshake does not heal by retrying: stop with the reason, not after ConnectTimeout.
                if (refusals.Verdict is not null || deadline.Elapsed >= options.ConnectTimeout)
                {
                    return false;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
                return true;
            });
        });

        ClientTelemetry.Add(builder.Services, options);
        var host = builder.Build();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, refusals.Refused);
            timeout.CancelAfter(options.ConnectTimeout + TimeSpan.FromSeconds(5));
            await host.StartAsync(timeout.Token);
            refusals.Started();
            return new ClusterConnection(host);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            if (refusals.Verdict is { } refused)
            {
                throw new ClusterUnreachableException($"refused after {deadline.Elapsed.TotalMilliseconds:0} ms: {refused}");
            }

            var where = string.IsNullOrWhiteSpace(options.Redis)
                ? $"gateway port(s) {string.Join(",", options.GatewayPorts)} on localhost"
                : $"the cluster '{options.ClusterId}' listed in Redis";
            throw new ClusterUnreachableException(
                $"cannot reach {where} within {options.ConnectTimeout.TotalSeconds:0.#} s: {lastError?.Message ?? (exception is OperationCanceledException ? "no gateway answered" : exception.Message)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _host.StopAsync(timeout.Token);
        }
        catch (Exception)
        {
            // The process is leaving; a slow disconnect changes nothing for the caller.
        }

        _host.Dispose();
    }
}
