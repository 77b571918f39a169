using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Grains.Chaos;

/// <summary>Reentrant, like <see cref="KeyedCounterGrain"/>: a repeat can arrive while the first call waits for its write.</summary>
[Reentrant]
public sealed class IdempotencyProbeGrain(
    [PersistentState("probe", LedgerStorage.Name)] IPersistentState<KeyedCounterState> counter,
    IdempotencyGuard idempotency) : Grain, IIdempotencyProbeGrain
{
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiting = [];
    private int _additions;
    private int _bodyRuns;
    private RpcStatus? _failNext;

    /// <inheritdoc />
    public Task<int> Add(int amount, CancellationToken cancellationToken)
    {
        var added = idempotency.ExecuteOnceAsync(this, counter, state =>
        {
            _bodyRuns++;
            if (amount < 0)
            {
                // A final failure, recorded as the key's outcome: a repeat gets it replayed, as the type thrown.
                throw new ArgumentOutOfRangeException(nameof(amount), amount, "an addition must not be negative");
            }

            if (_failNext is { } status)
            {
                _failNext = null;
                throw new RpcException(status, "injected failure of an addition, before it changed anything");
            }

            return state.Total += amount;
        });

        // Counted after the guard has run up to its first wait (its write, or another call's), so past its checks.
        _additions++;
        foreach (var waiting in _waiting.Where(w => w.Count <= _additions).ToList())
        {
            _waiting.Remove(waiting);
            waiting.Reached.TrySetResult();
        }

        return added;
    }

    /// <inheritdoc />
    public Task WaitForAdditions(int count, CancellationToken cancellationToken)
    {
        if (_additions >= count)
        {
            return Task.CompletedTask;
        }

        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((count, reached));
        return reached.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task FailNextAddition(RpcStatus status, CancellationToken cancellationToken)
    {
        _failNext = status;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<(int Total, int BodyRuns)> Get(CancellationToken cancellationToken) => Task.FromResult((counter.State.Total, _bodyRuns));
}
