using Orleans;
using Orleans.Concurrency;

namespace ReliableRpc.Grains.Chaos;

/// <summary>
/// A reentrant, persisted counter for tests of the idempotency guard itself: an addition can be made to fail once,
/// and a test can wait until additions have been through the guard's checks.
/// </summary>
[Alias("ReliableRpc.Chaos.IIdempotencyProbeGrain")]
public interface IIdempotencyProbeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds <paramref name="amount"/>; returns the new total. Applied once per idempotency key. A negative amount
    /// fails with an <see cref="ArgumentOutOfRangeException"/>, the key's recorded outcome.
    /// </summary>
    [AcceptsIdempotencyKey]
    [Alias("Add")]
    Task<int> Add(int amount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes once <paramref name="count"/> additions (repeats included) have been through the guard's checks:
    /// each is answered, or waits on another call's write.
    /// </summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("WaitForAdditions")]
    Task WaitForAdditions(int count, CancellationToken cancellationToken = default);

    /// <summary>Makes the next addition fail once with <paramref name="status"/>, before it changes anything.</summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("FailNextAddition")]
    Task FailNextAddition(RpcStatus status, CancellationToken cancellationToken = default);

    /// <summary>The total in memory, and how many times an addition's body ran on this activation.</summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("Get")]
    Task<(int Total, int BodyRuns)> Get(CancellationToken cancellationToken = default);
}
