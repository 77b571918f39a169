using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace ReliableRpc.Silo.Health;

/// <summary>
/// What the silo itself knows about its readiness: whether its lifecycle has reached Active and whether the host
/// has begun to stop. The membership view is read by <see cref="SiloReadinessCheck"/> on each request.
/// </summary>
internal sealed partial class SiloReadiness : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ILogger<SiloReadiness> _logger;
    private volatile bool _active;
    private int _stopping;

    public SiloReadiness(IHostApplicationLifetime lifetime, ILogger<SiloReadiness> logger)
    {
        _logger = logger;

        // ApplicationStopping fires first thing on SIGTERM, before any hosted service (and so Orleans) stops: a
        // load balancer or a rolling update sees "not ready" before the drain begins.
        lifetime.ApplicationStopping.Register(() => MarkStopping("the host is stopping"));
    }

    /// <summary>True once the silo's lifecycle reached Active: it joined the cluster and serves calls.</summary>
    public bool HasBeenActive { get; private set; }

    /// <summary>True from the Active stage of the silo's start until the first sign of its stop.</summary>
    public bool IsActive => _active && !IsStopping;

    /// <summary>True once the host or the silo has begun to stop.</summary>
    public bool IsStopping => Volatile.Read(ref _stopping) == 1;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloReadiness), ServiceLifecycleStage.Active, OnActive, OnStopping);

    private Task OnActive(CancellationToken cancellationToken)
    {
        _active = true;
        HasBeenActive = true;
        LogReady(_logger);
        return Task.CompletedTask;
    }

    // The Active stage is the first one Orleans leaves when it stops, whoever asked for the stop (the host, or the
    // silo itself after being declared dead).
    private Task OnStopping(CancellationToken cancellationToken)
    {
        MarkStopping("the silo is stopping");
        return Task.CompletedTask;
    }

    private void MarkStopping(string reason)
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 0)
        {
            LogNotReady(_logger, reason);
        }
    }

    [LoggerMessage(EventId = 1, EventName = "SiloReady", Level = LogLevel.Information,
        Message = "Silo is an active cluster member: readiness reports ready.")]
    private static partial void LogReady(ILogger logger);

    [LoggerMessage(EventId = 2, EventName = "SiloNotReady", Level = LogLevel.Information,
        Message = "Readiness reports not ready from now on: {Reason}.")]
    private static partial void LogNotReady(ILogger logger, string reason);
}
