using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ReliableRpc.Silo.Hosting;

/// <summary>Logs what this silo is when it starts, and its drain when it stops (SIGTERM, Ctrl+C).</summary>
internal sealed partial class SiloLifecycleLog(SiloLifecycleLog.Facts facts, IHostApplicationLifetime lifetime, ILogger<SiloLifecycleLog> logger) : IHostedService
{
    private long _stopping;

    /// <summary>What the start banner reports.</summary>
    internal sealed record Facts(SiloHostOptions Options, string? RedisEndpoints, bool Tls = false, bool PasswordInConnectionString = false, bool RedisTls = false);

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

        if (!facts.Tls)
        {
            LogPlainTcp(logger, o.SiloPort, o.GatewayPort, facts.RedisEndpoints is null ? "the embedded developer default (no Redis, no certificates)" : "chosen with Tls:Enabled=false (--plain-tcp)");
        }

        if (facts.PasswordInConnectionString)
        {
            LogPasswordInConnectionString(logger);
        }

        if (facts.Tls && facts.RedisEndpoints is not null && !facts.RedisTls)
        {
            LogRedisPlain(logger, facts.RedisEndpoints);
        }

        lifetime.ApplicationStopping.Register(() =>
        {
            _stopping = Stopwatch.GetTimestamp();
            LogDraining(logger, o.SiloPort, o.ShutdownTimeout);
        });
        lifetime.ApplicationStopped.Register(() => LogStopped(logger, o.SiloPort, Stopwatch.GetElapsedTime(_stopping).TotalMilliseconds));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, EventName = "SiloEmbeddedDefault", Level = LogLevel.Warning,
        Message = "Silo for cluster {ClusterId} on ports {SiloPort}/{GatewayPort} uses the embedded default: localhost clustering and in-memory storage. Nothing survives a restart and no other silo can join. Set ConnectionStrings:Redis (or --redis) for a real cluster.")]
    private static partial void LogEmbedded(ILogger logger, string clusterId, int siloPort, int gatewayPort);

    [LoggerMessage(EventId = 2, EventName = "SiloRedisCluster", Level = LogLevel.Information,
        Message = "Silo for cluster {ClusterId} on ports {SiloPort}/{GatewayPort} uses Redis at {RedisEndpoints} for membership, storage and reminders.")]
    private static partial void LogRedis(ILogger logger, string clusterId, int siloPort, int gatewayPort, string redisEndpoints);

    [LoggerMessage(EventId = 5, EventName = "SiloPlainTcp", Level = LogLevel.Warning,
        Message = "Silo on ports {SiloPort}/{GatewayPort} uses PLAIN TCP, {Why}: anyone on the network can read and forge its calls. Configure Tls:CertificatePath, Tls:KeyPath and Tls:CaPath for mutual TLS.")]
    private static partial void LogPlainTcp(ILogger logger, int siloPort, int gatewayPort, string why);

    [LoggerMessage(EventId = 6, EventName = "SiloRedisPasswordInConnectionString", Level = LogLevel.Warning,
        Message = "The Redis password is part of ConnectionStrings:Redis; a command line is visible to every local user. Prefer Redis:PasswordFile or RELIABLERPC_Redis__Password.")]
    private static partial void LogPasswordInConnectionString(ILogger logger);

    [LoggerMessage(EventId = 7, EventName = "SiloRedisPlain", Level = LogLevel.Warning,
        Message = "The silo's links are mutual TLS but its Redis link ({RedisEndpoints}) is not encrypted: membership, grain state and the Redis password cross it in clear. Add ssl=true to ConnectionStrings:Redis (a redis-server with tls-port; the silo checks it against Tls:CaPath and presents its own certificate).")]
    private static partial void LogRedisPlain(ILogger logger, string redisEndpoints);

    [LoggerMessage(EventId = 3, EventName = "SiloDraining", Level = LogLevel.Warning,
        Message = "Silo on port {SiloPort} is draining: clients are told to use other gateways, running calls finish, grains deactivate with their state written, then it leaves membership (at most {ShutdownTimeout}).")]
    private static partial void LogDraining(ILogger logger, int siloPort, TimeSpan shutdownTimeout);

    [LoggerMessage(EventId = 4, EventName = "SiloStopped", Level = LogLevel.Information,
        Message = "Silo on port {SiloPort} stopped {ElapsedMilliseconds:0} ms after the stop began.")]
    private static partial void LogStopped(ILogger logger, int siloPort, double elapsedMilliseconds);
}
