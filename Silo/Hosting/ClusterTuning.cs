using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace ReliableRpc.Silo.Hosting;

/// <summary>
/// Membership and messaging settings chosen for fast, safe reaction to silos leaving, measured on a busy 2-core
/// machine (see the README). Orleans' defaults took ~12 s to notice a killed silo, 16–18 s to notice a frozen one,
/// and let a client lean on one gateway for a minute during a rolling restart.
/// </summary>
internal static class ClusterTuning
{
    /// <summary>
    /// The configuration section whose values override the tuning (names of <see cref="ClusterMembershipOptions"/>,
    /// e.g. <c>RELIABLERPC_Membership__MaxProbeTimeout=00:00:08</c>).
    /// </summary>
    public const string Section = "Membership";

    public static void Apply(ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // A probe unanswered for 2 s is a miss (default 5 s), and 2 misses (default 3) make a suspicion; a
            // killed silo refuses connections at once, so it is declared dead in about 2 s, yet a silo stalled by
            // a busy CPU for less than 2 s is not suspected.
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.MinProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;

            // Orleans stretches a probe's timeout up to MaxProbeTimeout (default 4 × ProbeTimeout = 8 s) and ignores
            // missed probes while the connection saw traffic within MaxProbeTimeout × NumMissedProbesLimit: 16 s
            // during which a frozen (SIGSTOP, VM pause, swap storm) silo is not even suspected, longer than the
            // default 10 s deadline. 3 s keeps that window at 6 s; the CPU-hog run (README) checks it causes no
            // false death on a saturated 2-core machine.
            o.MaxProbeTimeout = TimeSpan.FromSeconds(3);

            // Re-read the membership table every 5 s (default 60 s) so a silo that missed a change catches up.
            o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        });
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection(Section));
    }
}
