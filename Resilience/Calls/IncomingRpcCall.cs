namespace ReliableRpc;

/// <summary>What a grain method knows of the call it is handling. See <see cref="RpcCall.Incoming"/>.</summary>
public sealed class IncomingRpcCall
{
    private readonly TimeProvider _time;
    private readonly long _deadlineTimestamp;
    private bool _completed;
    private long _storageWaitTicks;
    private int _storageOperations;
    private long _storageSince;

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

    /// <summary>
    /// Time the call has spent waiting on grain storage behind the storage gate, in timestamp ticks: the shedding limit
    /// measures the silo, not its storage. Operations that overlap count once.
    /// </summary>
    internal long StorageWaitTicks => Interlocked.Read(ref _storageWaitTicks);

    /// <summary>A storage operation for this call starts (<paramref name="now"/>: a timestamp).</summary>
    internal void StorageStarted(long now)
    {
        if (Interlocked.Increment(ref _storageOperations) == 1)
        {
            Volatile.Write(ref _storageSince, now);
        }
    }

    /// <summary>A storage operation for this call has ended.</summary>
    internal void StorageEnded(long now)
    {
        if (Interlocked.Decrement(ref _storageOperations) == 0)
        {
            // Another operation may start between the decrement and this read; it then counts from its own start.
            Interlocked.Add(ref _storageWaitTicks, Math.Max(0, now - Volatile.Read(ref _storageSince)));
        }
    }

    /// <summary>Marks the call completed, when the method's task has ended (see <see cref="Completed"/>).</summary>
    internal void Complete() => Volatile.Write(ref _completed, true);
}
