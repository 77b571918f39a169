using Orleans;
using Orleans.Concurrency;

namespace ReliableRpc.Grains.Chaos;

/// <summary>A reentrant, persisted counter whose additions are keyed: for tests of concurrent duplicates.</summary>
[Alias("ReliableRpc.Chaos.IKeyedCounterGrain")]
public interface IKeyedCounterGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="amount"/>; returns the new total. Applied once per idempotency key.</summary>
    [AcceptsIdempotencyKey]
    [Alias("Add")]
    Task<int> Add(int amount, CancellationToken cancellationToken = default);

    /// <summary>Works for <paramref name="work"/> (cancellable), then adds like <see cref="Add"/>: a long-running keyed call.</summary>
    [AcceptsIdempotencyKey]
    [Alias("AddSlowly")]
    Task<int> AddSlowly(int amount, TimeSpan work, CancellationToken cancellationToken = default);

    /// <summary>The total, and how many times an addition's body ran.</summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("Get")]
    Task<(int Total, int BodyRuns)> Get(CancellationToken cancellationToken = default);
}
