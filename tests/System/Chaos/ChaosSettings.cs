using System.Globalization;

namespace ReliableRpc.Tests.System.Chaos;

/// <summary>
/// How a chaos run is sized, from the environment: <c>RELIABLERPC_CHAOS_SEED</c> (reproduces a run's schedule;
/// random when unset) and <c>RELIABLERPC_CHAOS_MINUTES</c> (load duration; the CI variant's 2.5 by default, 15 for
/// the long run).
/// </summary>
internal sealed record ChaosSettings(int Seed, TimeSpan Duration)
{
    public static ChaosSettings FromEnvironment() => new(
        int.TryParse(Environment.GetEnvironmentVariable("RELIABLERPC_CHAOS_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : Random.Shared.Next(1, 1_000_000),
        TimeSpan.FromMinutes(double.TryParse(Environment.GetEnvironmentVariable("RELIABLERPC_CHAOS_MINUTES"), CultureInfo.InvariantCulture, out var minutes) ? minutes : 2.5));
}
