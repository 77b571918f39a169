using System.Diagnostics.CodeAnalysis;
using Orleans;
using Orleans.Concurrency;

namespace ReliableRpc.Grains.Capacity;

/// <summary>
/// A synthetic bottleneck of known capacity: a number of slots, each held for a fixed service time per call, so that
/// capacity is slots ÷ service time whatever the CPU does. Waiting costs no CPU (a timer, not work), so a load generator
/// and the refusals it meets on the same machine do not eat the capacity being measured.
/// </summary>
[Alias("ReliableRpc.Capacity.IBottleneckGrain")]
public interface IBottleneckGrain : IGrainWithStringKey
{
    /// <summary>
    /// Serves one call: waits for a free slot, holds it for the service time, answers. Changes nothing: idempotent.
    /// It does not watch a token, as most real work does not (a query sent to a database runs on): a call its caller
    /// gave up on still takes its slot, which is how timed-out attempts become wasted work, the fuel of a retry storm.
    /// </summary>
    [Idempotent]
    [SuppressMessage("ReliableRpc.Deadlines", "RRPC003", Justification = "Uncancellable on purpose: abandoned attempts must still cost the bottleneck, as abandoned work does in real services.")]
    [Alias("Serve")]
    Task Serve();

    /// <summary>
    /// Sets the slots, the service time and a slowdown to come, by the grain's own clock from now, so that a trigger
    /// needs no call in the middle of a storm; clears the served calls' record. Calls already holding a slot keep it.
    /// Sets values: idempotent.
    /// </summary>
    [Idempotent]
    [Alias("Configure")]
    Task Configure(BottleneckPlan plan, CancellationToken cancellationToken = default);

    /// <summary>
    /// The calls served since <see cref="Configure"/> (or the last report with <paramref name="reset"/>), from entering
    /// the method (admitted) to leaving it. Resetting forgets what a repeat would read: still safe to repeat, as the
    /// record it clears is a measurement, not state.
    /// </summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("Report")]
    Task<BottleneckReport> Report(bool reset = false, CancellationToken cancellationToken = default);
}

/// <summary>What the bottleneck is and does.</summary>
/// <param name="Slots">Calls served at once.</param>
/// <param name="ServiceTime">How long each holds its slot.</param>
/// <param name="SlowdownAfter">When, from the configuration, the service time is multiplied by <paramref name="SlowdownFactor"/>.</param>
/// <param name="SlowdownFor">For how long (zero: never).</param>
/// <param name="SlowdownFactor">By how much.</param>
[GenerateSerializer]
[Alias("ReliableRpc.Capacity.BottleneckPlan")]
public sealed record BottleneckPlan(
    [property: Id(0)] int Slots,
    [property: Id(1)] TimeSpan ServiceTime,
    [property: Id(2)] TimeSpan SlowdownAfter = default,
    [property: Id(3)] TimeSpan SlowdownFor = default,
    [property: Id(4)] int SlowdownFactor = 1)
{
    /// <summary>Calls per second it serves, outside the slowdown.</summary>
    public double Capacity => Slots / ServiceTime.TotalSeconds;
}

/// <summary>The calls the bottleneck served: how many, and their time in it (waiting for a slot and holding it).</summary>
/// <param name="Served">Calls served.</param>
/// <param name="P50Milliseconds">Their median time.</param>
/// <param name="P99Milliseconds">Their 99th percentile time.</param>
[GenerateSerializer]
[Alias("ReliableRpc.Capacity.BottleneckReport")]
public sealed record BottleneckReport([property: Id(0)] long Served, [property: Id(1)] double P50Milliseconds, [property: Id(2)] double P99Milliseconds);
