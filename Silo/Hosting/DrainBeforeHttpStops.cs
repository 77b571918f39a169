using Microsoft.Extensions.Hosting;
using ReliableRpc.Silo.Health;

namespace ReliableRpc.Silo.Hosting;

/// <summary>
/// Runs Orleans' graceful stop in the host's "stopping" phase, before any hosted service's StopAsync.
/// </summary>
/// <remarks>
/// WebApplication registers its HTTP server last, so it starts after the silo joined and would stop first, before
/// Orleans drains: /ready and /metrics would go dark (connection refused) for the whole drain. Draining here keeps the
/// HTTP port answering — /ready with 503 — until the silo has left the cluster. Orleans' own hosted service then finds
/// the silo stopped and returns at once. The host's ShutdownTimeout (<see cref="SiloHostOptions.ShutdownTimeout"/>)
/// bounds this stop exactly as it bounded Orleans' own: the same token is passed.
/// </remarks>
internal sealed class DrainBeforeHttpStops(Orleans.Runtime.Silo silo, SiloReadiness readiness) : IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken) =>
        // A silo that never became active (its start failed) is left to Orleans' hosted service, which reports why.
        readiness.HasBeenActive ? silo.StopAsync(cancellationToken) : Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
