using Orleans;
using ReliableRpc.Idempotency.Internal;

namespace ReliableRpc;

/// <summary>
/// Key → outcome of a grain's keyed calls. It lives inside the grain's persisted state
/// (<see cref="IIdempotentState"/>), so a record and the effect it records are one storage write.
/// </summary>
/// <remarks>
/// Persisted as one packed byte array (<see cref="Packed"/>), not as an object per record: every write of the
/// state serializes all the retained records, and as objects each cost the serializer a reference-table entry
/// and field headers (measured: ~15 KB allocated per write at 100 records, against ~7 KB of packed bytes). In
/// memory the records are a dictionary, unpacked on first use after the state is read.
/// </remarks>
[GenerateSerializer]
[Alias("ReliableRpc.IdempotencyRecords")]
public sealed class IdempotencyRecords
{
    // The working set; null until first used after a read, when it is unpacked from what was persisted.
    [NonSerialized]
    private Dictionary<string, IdempotencyRecord>? _records;

    // Calls of this activation whose write has not finished, or failed: a repeat that arrives meanwhile (a reentrant
    // grain interleaves) waits for the first one's stored record, or gets its failure. In memory only: it dies with
    // the activation, which a failure deactivates.
    [NonSerialized]
    private Dictionary<string, Task<IdempotencyRecord>>? _inProgress;

    /// <summary>
    /// The records as earlier versions persisted them, one object each. Read once and folded into the packed
    /// form, so a rolling upgrade keeps every record; never written again.
    /// </summary>
    [Id(0)]
    public Dictionary<string, IdempotencyRecord>? Records { get; set; }

    /// <summary>
    /// The records as persisted (<see cref="IdempotencyRecordCodec"/>). Public and settable so every storage
    /// serializer (JSON too) round-trips it; not meant to be read or set by hand.
    /// </summary>
    [Id(1)]
    public byte[]? Packed { get; set; }

    /// <summary>
    /// The serialized exceptions of failure records that have one (<see cref="IdempotencyRecord.FailureException"/>),
    /// by key. Kept beside <see cref="Packed"/>, not in it: a silo of an earlier version reads <see cref="Packed"/>
    /// and skips this field, so during a rolling upgrade (or after a rollback) it replays those failures as an
    /// <see cref="RpcException"/> with their status instead of failing on a record kind it does not know.
    /// </summary>
    [Id(2)]
    public Dictionary<string, byte[]>? FailureExceptions { get; set; }

    /// <summary>How many records are kept.</summary>
    public int Count => Working.Count;

    internal Dictionary<string, Task<IdempotencyRecord>> InProgress => _inProgress ??= new(StringComparer.Ordinal);

    private Dictionary<string, IdempotencyRecord> Working => _records ??= Unpack();

    internal bool TryGet(string key, out IdempotencyRecord record) => Working.TryGetValue(key, out record!);

    /// <summary>When the oldest record was made; null when there is none.</summary>
    internal DateTimeOffset? OldestRecordedAt()
    {
        DateTimeOffset? oldest = null;
        foreach (var record in Working.Values)
        {
            if (oldest is null || record.RecordedAt < oldest)
            {
                oldest = record.RecordedAt;
            }
        }

        return oldest;
    }

    /// <summary>Adds a record to the working set; <see cref="Trim"/> then packs it for the write.</summary>
    internal void Add(string key, IdempotencyRecord record) => Working[key] = record;

    /// <summary>
    /// Drops records older than <paramref name="retention"/>, then the oldest beyond <paramref name="maxRecords"/>
    /// that are older than <paramref name="minimumRetention"/>; then packs what is left for the next write.
    /// </summary>
    internal void Trim(DateTimeOffset now, TimeSpan retention, int maxRecords, TimeSpan minimumRetention)
    {
        var records = Working;
        if (records.Count > maxRecords || AnyOlderThan(records, now - retention))
        {
            var excess = records.Count - maxRecords;
            foreach (var (key, record) in records.OrderBy(r => r.Value.RecordedAt).ToList())
            {
                var age = now - record.RecordedAt;
                if (age > retention || (excess > 0 && age > minimumRetention))
                {
                    records.Remove(key);
                    excess--;
                }
            }
        }

        Packed = IdempotencyRecordCodec.Pack(records);
        Records = null;
        FailureExceptions = null;
        foreach (var (key, record) in records)
        {
            if (record.FailureException is { } exception)
            {
                (FailureExceptions ??= new(StringComparer.Ordinal))[key] = exception;
            }
        }
    }

    private static bool AnyOlderThan(Dictionary<string, IdempotencyRecord> records, DateTimeOffset cutoff)
    {
        foreach (var record in records.Values)
        {
            if (record.RecordedAt < cutoff)
            {
                return true;
            }
        }

        return false;
    }

    private Dictionary<string, IdempotencyRecord> Unpack()
    {
        var records = IdempotencyRecordCodec.Unpack(Packed);
        if (FailureExceptions is { Count: > 0 } exceptions)
        {
            foreach (var (key, exception) in exceptions)
            {
                if (records.TryGetValue(key, out var record) && record.FailureStatus is not null)
                {
                    record.FailureException = exception;
                }
            }
        }

        if (Records is { Count: > 0 } written)
        {
            foreach (var (key, record) in written)
            {
                records.TryAdd(key, record);
            }
        }

        return records;
    }
}
