using System.Diagnostics;
using ReliableRpc.Tests.System.Infrastructure;

namespace ReliableRpc.Tests.System.Chaos;

/// <summary>
/// Disrupts a <see cref="LocalCluster"/> on a schedule drawn from a seed: one disruption at a time, a few seconds
/// apart; the first three are one of each kind (in a seeded order) so even a short run applies every kind. The same
/// seed gives the same schedule (which disruption, which silo, how long); the calls in flight when it strikes vary.
/// </summary>
internal sealed class ChaosScheduler(LocalCluster cluster, int seed)
{
    private readonly Random _random = new(seed);
    private readonly List<string> _log = [];

    /// <summary>What was done, one line per disruption, with the time since the start.</summary>
    public IReadOnlyList<string> Log => _log;

    /// <summary>How many disruptions of each kind were applied.</summary>
    public Dictionary<Disruption, int> Applied { get; } = [];

    /// <summary>Disrupts until <paramref name="duration"/> has passed (a disruption under way is finished).</summary>
    public async Task RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var firsts = new Queue<Disruption>(Enum.GetValues<Disruption>().OrderBy(_ => _random.Next()));
        while (clock.Elapsed < duration)
        {
            await Task.Delay(TimeSpan.FromSeconds(3 + _random.Next(5)), cancellationToken);
            var kind = firsts.Count > 0 ? firsts.Dequeue() : (Disruption)_random.Next(3);
            var silo = _random.Next(cluster.Count);
            var started = clock.Elapsed;
            var what = await ApplyAsync(kind, silo, cancellationToken);
            Applied[kind] = Applied.GetValueOrDefault(kind) + 1;
            _log.Add($"{started.TotalSeconds,6:0.0} s  {kind,-14} {what} ({(clock.Elapsed - started).TotalSeconds:0.0} s)");
        }
    }

    private async Task<string> ApplyAsync(Disruption kind, int silo, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case Disruption.RollingRestart:
                for (var i = 0; i < cluster.Count; i++)
                {
                    await cluster.StopSiloAsync(i);
                    await cluster.StartSiloAsync(i);
                }

                return "all silos";
            case Disruption.Kill:
                await cluster.KillSiloAsync(silo);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                await cluster.StartSiloAsync(silo);
                return $"silo {silo}";
            default:
                var frozenFor = TimeSpan.FromSeconds(5 + _random.Next(11));
                cluster.Freeze(silo, freeze: true);
                await Task.Delay(frozenFor, cancellationToken);
                cluster.Freeze(silo, freeze: false);
                if (!await cluster.WaitForExitAsync(silo, TimeSpan.FromSeconds(15)))
                {
                    return $"silo {silo} for {frozenFor.TotalSeconds:0} s, not declared dead: it went on serving";
                }

                await cluster.StartSiloAsync(silo);
                return $"silo {silo} for {frozenFor.TotalSeconds:0} s, declared dead, stopped itself, started again";
        }
    }
}
