using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
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
    /// <see cref="ClusterUnreachableException"/> (Orleans alone would keep retrying for minutes).
    /// </summary>
    public static async Task<ClusterConnection> ConnectAsync(ClusterConnectionOptions options, CancellationToken cancellationToken)
    {
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
                client.UseRedisClustering(o => o.ConfigurationOptions = redis);
            }

            client.AddReliableRpc(rpc => rpc.Enabled = options.Pipeline);
            client.AddActivityPropagation();

            // Re-read the gateway list every 5 s (default 1 min): during a rolling restart the client otherwise
            // leans on fewer and fewer gateways, and late in it on one.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.UseConnectionRetryFilter(async (exception, ct) =>
            {
                lastError = exception;
                if (deadline.Elapsed >= options.ConnectTimeout)
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
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout + TimeSpan.FromSeconds(5));
            await host.StartAsync(timeout.Token);
            return new ClusterConnection(host);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
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
