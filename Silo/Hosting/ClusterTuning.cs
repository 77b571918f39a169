using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace ReliableRpc.Silo.Hosting;

/// <summary>
/// The silo's membership settings: the library's tested defaults (<see cref="ReliableRpcClusterDefaults"/>), which a
/// user's own app gets with the same call, then any override from configuration.
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
        silo.UseReliableRpcClusterDefaults();
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection(Section));
    }
}
