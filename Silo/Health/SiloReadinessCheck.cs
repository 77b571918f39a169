using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace ReliableRpc.Silo.Health;

/// <summary>
/// Ready only while the silo is an Active member of the cluster, in its own view and in the membership table's, and
/// not stopping. A rolling update waits for it before stopping the next old silo, and a PodDisruptionBudget counts it.
/// </summary>
internal sealed class SiloReadinessCheck(SiloReadiness readiness, IClusterMembershipService membership, ILocalSiloDetails local) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (readiness.IsStopping)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the silo is shutting down"));
        }

        if (!readiness.IsActive)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the silo has not joined the cluster yet"));
        }

        // Another silo may have declared this one dead (it was frozen, or cut off); it stops itself soon after.
        var status = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("an active cluster member")
            : HealthCheckResult.Unhealthy($"the membership table lists this silo as {status}"));
    }
}
