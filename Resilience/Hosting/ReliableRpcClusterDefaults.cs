using Orleans.Configuration;
using Orleans.Hosting;

namespace ReliableRpc;

/// <summary>
/// The membership and gateway settings this library's tests and figures run with, in one call for silos and one for
/// clients: a killed or frozen silo is declared dead in seconds (Orleans' defaults took ~12 s for a killed silo and
/// 16–18 s for a frozen one, longer than the default 10 s deadline), and a client stops routing through a departed
/// gateway within a second. Settings made after the call win, as with any Orleans option.
/// </summary>
/// <remarks>Measured on a busy 2-core machine; see README "Rolling restarts", "Crashes" and "Freezes".</remarks>
public static class ReliableRpcClusterDefaults
{
    /// <summary>A probe unanswered this long is a miss (Orleans: 5 s).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The shortest probe timeout Orleans may choose (must not exceed <see cref="ProbeTimeout"/>; Orleans: 2.5 s).</summary>
    public static readonly TimeSpan MinProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest a probe's timeout is stretched while its connection sees traffic (Orleans: 4 × ProbeTimeout): with
    /// <see cref="MissedProbesLimit"/>, a frozen silo is suspected within 6 s, not 16 s.
    /// </summary>
    public static readonly TimeSpan MaxProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Missed probes that make a suspicion (Orleans: 3): a killed silo refuses connections, so ~2 s to its death.</summary>
    public const int MissedProbesLimit = 2;

    /// <summary>How often a silo re-reads the membership table, to catch up on a change it missed (Orleans: 1 min).</summary>
    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a client re-reads the gateway list (Orleans: 1 min): otherwise, during a rolling restart, it leans on
    /// fewer and fewer gateways, and routes to a frozen one until the list says it died. One small read a second.
    /// </summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Gives the silo the membership settings above.</summary>
    public static ISiloBuilder UseReliableRpcClusterDefaults(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = ProbeTimeout;
            o.MinProbeTimeout = MinProbeTimeout;
            o.MaxProbeTimeout = MaxProbeTimeout;
            o.NumMissedProbesLimit = MissedProbesLimit;
            o.TableRefreshTimeout = TableRefreshTimeout;
        });
        return builder;
    }

    /// <summary>Gives the client the gateway setting above.</summary>
    public static IClientBuilder UseReliableRpcClusterDefaults(this IClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
        return builder;
    }
}
