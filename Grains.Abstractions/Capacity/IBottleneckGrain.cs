using Orleans;

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
    /// A call whose token is cancelled (its deadline) stops waiting and frees its slot.
    /// </summary>
    [Idempotent]
    [Alias("Serve")]
    Task Serve(CancellationToken cancellationToken = default);

    /// <summary>Sets the slots and the service time; calls already holding a slot keep theirs. Sets values: idempotent.</summary>
    [Idempotent]
    [Alias("Configure")]
    Task Configure(int slots, TimeSpan serviceTime, CancellationToken cancellationToken = default);
}
