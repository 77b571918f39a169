using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ReliableRpc.Silo.Hosting;

/// <summary>Logs, once at start, what this silo is and where its state lives.</summary>
internal sealed partial class StartupBanner(StartupBanner.Facts facts, ILogger<StartupBanner> logger) : IHostedService
{
    /// <summary>What the banner reports.</summary>
    internal sealed record Facts(SiloHostOptions Options, string? RedisEndpoints);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = facts.Options;
        if (facts.RedisEndpoints is null)
        {
            LogEmbedded(logger, o.ClusterId, o.SiloPort, o.GatewayPort);
        }
        else
        {
            LogRedis(logger, o.ClusterId, o.SiloPort, o.GatewayPort, facts.RedisEndpoints);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, EventName = "SiloEmbeddedDefault", Level = LogLevel.Warning,
        Message = "Silo for cluster {ClusterId} on ports {SiloPort}/{GatewayPort} uses the embedded default: localhost clustering and in-memory storage. Nothing survives a restart and no other silo can join. Set ConnectionStrings:Redis (or --redis) for a real cluster.")]
    private static partial void LogEmbedded(ILogger logger, string clusterId, int siloPort, int gatewayPort);

    [LoggerMessage(EventId = 2, EventName = "SiloRedisCluster", Level = LogLevel.Information,
        Message = "Silo for cluster {ClusterId} on ports {SiloPort}/{GatewayPort} uses Redis at {RedisEndpoints} for membership, storage and reminders.")]
    private static partial void LogRedis(ILogger logger, string clusterId, int siloPort, int gatewayPort, string redisEndpoints);
}
