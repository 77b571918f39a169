using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Grains.Chaos;

/// <summary>The persisted state of <see cref="KeyedCounterGrain"/>.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Chaos.KeyedCounterState")]
public sealed class KeyedCounterState : IIdempotentState
{
    /// <summary>The total.</summary>
    [Id(0)] public int Total { get; set; }

    /// <inheritdoc />
    [Id(1)] public IdempotencyRecords IdempotencyRecords { get; set; } = new();
}

/// <summary>Reentrant: a duplicate can arrive while the first call still waits for its write.</summary>
[Reentrant]
public sealed class KeyedCounterGrain(
    [PersistentState("counter", LedgerStorage.Name)] IPersistentState<KeyedCounterState> counter,
    IdempotencyGuard idempotency) : Grain, IKeyedCounterGrain
{
    private int _bodyRuns;

    /// <inheritdoc />
    public Task<int> Add(int amount, CancellationToken cancellationToken) =>
        idempotency.ExecuteOnceAsync(this, counter, state =>
        {
            _bodyRuns++;
            return state.Total += amount;
        });

    /// <inheritdoc />
    public async Task<int> AddSlowly(int amount, TimeSpan work, CancellationToken cancellationToken)
    {
        await Task.Delay(work, cancellationToken);
        return await Add(amount, cancellationToken);
    }

    /// <inheritdoc />
    public Task<(int Total, int BodyRuns)> Get(CancellationToken cancellationToken) => Task.FromResult((counter.State.Total, _bodyRuns));
}
