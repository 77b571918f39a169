using Orleans;

namespace ReliableRpc;

/// <summary>
/// Key → outcome of a grain's keyed calls. It lives inside the grain's persisted state
/// (<see cref="IIdempotentState"/>), so a record and the effect it records are one storage write.
/// </summary>
[GenerateSerializer]
[Alias("ReliableRpc.IdempotencyRecords")]
public sealed class IdempotencyRecords
{
    [Id(0)]
    private Dictionary<string, IdempotencyRecord> _records = new(StringComparer.Ordinal);

    // Calls of this activation whose write has not finished: a repeat that arrives meanwhile (a reentrant grain
    // interleaves) waits for the first one's outcome. In memory only: it dies with the activation.
    [NonSerialized]
    private Dictionary<string, Task<object?>>? _inProgress;

    /// <summary>How many records are kept.</summary>
    public int Count => _records.Count;

    internal bool TryGet(string key, out IdempotencyRecord record) => _records.TryGetValue(key, out record!);

    internal Dictionary<string, Task<object?>> InProgress => _inProgress ??= new(StringComparer.Ordinal);

    internal void Add(string key, IdempotencyRecord record) => _records[key] = record;

    /// <summary>
    /// Drops records older than <paramref name="retention"/>, then the oldest beyond <paramref name="maxRecords"/>
    /// that are older than <paramref name="minimumRetention"/>.
    /// </summary>
    internal void Trim(DateTimeOffset now, TimeSpan retention, int maxRecords, TimeSpan minimumRetention)
    {
        if (_records.Count <= maxRecords && !_records.Values.Any(r => now - r.RecordedAt > retention))
        {
            return;
        }

        var excess = _records.Count - maxRecords;
        foreach (var (key, record) in _records.OrderBy(r => r.Value.RecordedAt).ToList())
        {
            var age = now - record.RecordedAt;
            if (age > retention || (excess > 0 && age > minimumRetention))
            {
                _records.Remove(key);
                excess--;
            }
        }
    }
}
