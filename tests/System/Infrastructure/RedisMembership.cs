using System.Text.Json;
using StackExchange.Redis;

namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>
/// Reads the cluster's membership straight from Redis (hash "{ServiceId}/members/{ClusterId}", one JSON entry per
/// silo), so a test can watch a silo being declared dead without calling a grain that may have died with it.
/// </summary>
internal static class RedisMembership
{
    /// <summary>True when the membership table marks the silo on <paramref name="siloPort"/> Dead.</summary>
    public static async Task<bool> IsDeadAsync(string redis, string clusterId, int siloPort) =>
        (await ReadAsync(redis, clusterId)).Any(e => e.Address.Contains($":{siloPort}", StringComparison.Ordinal) && e.IsDead);

    /// <summary>Every silo the table marks Dead (address with its generation).</summary>
    public static async Task<IReadOnlyList<string>> DeadSilosAsync(string redis, string clusterId) =>
        (await ReadAsync(redis, clusterId)).Where(e => e.IsDead).Select(e => e.Address).ToList();

    private static async Task<List<(string Address, bool IsDead)>> ReadAsync(string redis, string clusterId)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var entries = await connection.GetDatabase().HashGetAllAsync($"reliablerpc/members/{clusterId}");
        var silos = new List<(string, bool)>();
        foreach (var entry in entries)
        {
            if (!entry.Value.HasValue || entry.Value.ToString() is not { } json || !json.StartsWith('{'))
            {
                continue;
            }

            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var address = root.TryGetProperty("SiloAddress", out var silo) ? silo.ToString() : "";
            var status = root.TryGetProperty("Status", out var value) ? value.ToString() : "";
            silos.Add((address, status is "Dead" or "6"));
        }

        return silos;
    }
}
