using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using ReliableRpc.Tests.Integration.Compatibility.Grains;

namespace ReliableRpc.Tests.Integration.Compatibility;

/// <summary>
/// Activates grains on chosen silos, so a chain of calls crosses between silos (same-silo calls are not serialized,
/// and would hide what a wire does to exceptions and arguments).
/// </summary>
internal static class Placement
{
    /// <summary>The cluster's silos, in a stable order.</summary>
    public static SiloAddress[] Silos(TestCluster cluster) =>
        cluster.GetActiveSilos().Select(s => s.SiloAddress).OrderBy(a => a.ToString(), StringComparer.Ordinal).ToArray();

    /// <summary>Activates <paramref name="grain"/> on <paramref name="silo"/> (Orleans' placement hint) and checks where it landed.</summary>
    public static async Task<T> On<T>(T grain, SiloAddress silo) where T : ILocatedGrain
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        SiloAddress actual;
        try
        {
            actual = await grain.Where().WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }

        Assert.True(actual.Equals(silo), $"{grain.GetGrainId()} was to be placed on {silo} but is on {actual}");
        return grain;
    }
}
