namespace ReliableRpc;

/// <summary>What a grain method knows of the call it is handling. See <see cref="RpcCall.Incoming"/>.</summary>
public sealed class IncomingRpcCall
{
    private readonly TimeProvider _time;
    private readonly long _deadlineTimestamp;
    private bool _completed;
    private long _storageWaitTicks;

    internal IncomingRpcCall(TimeProvider time, TimeSpan budget, long startTimestamp, int attempt, string? idempotencyKey = null, string? requestFingerprint = null)
    {
        IdempotencyKey = idempotencyKey;
        RequestFingerprint = requestFingerprint;
        _time = time;
        Budget = budget;
        Attempt = attempt;
        _deadlineTimestamp = startTimestamp + (long)(budget.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>The budget the call had when it started running here.</summary>
    public TimeSpan Budget { get; }

    /// <summary>The attempt number at the edge (1 for the first).</summary>
    public int Attempt { get; }

    /// <summary>The call's idempotency key, for a method marked <see cref="AcceptsIdempotencyKeyAttribute"/>; else null.</summary>
    public string? IdempotencyKey { get; }

    /// <summary>A hash of the method and its arguments, computed for keyed calls only.</summary>
    public string? RequestFingerprint { get; }

    /// <summary>
    /// True once the call has completed here. Work the method started and did not await still sees this call through
    /// <see cref="RpcCall.Incoming"/>, but its calls are edges of their own: they neither inherit this deadline nor
    /// lose the edge's retries.
    /// </summary>
    public bool Completed => Volatile.Read(ref _completed);

    /// <summary>What is left of the call's deadline now (negative once it has passed).</summary>
    public TimeSpan Remaining
    {
        get
        {
            var ticks = _deadlineTimestamp - _time.GetTimestamp();
            return TimeSpan.FromSeconds((double)ticks / _time.TimestampFrequency);
        }
    }

    /// <summary>Time the call has spent waiting on grain storage behind the storage gate, in timestamp ticks.</summary>
    internal long StorageWaitTicks => Interlocked.Read(ref _storageWaitTicks);

    /// <summary>Adds a storage operation's time: the shedding limit measures the silo, not its storage.</summary>
    internal void AddStorageWait(long ticks) => Interlocked.Add(ref _storageWaitTicks, ticks);

    /// <summary>Marks the call completed, when the method's task has ended (see <see cref="Completed"/>).</summary>
    internal void Complete() => Volatile.Write(ref _completed, true);
}
