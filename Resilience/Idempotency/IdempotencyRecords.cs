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
    /// <summary>The records by key. Public and settable so every storage serializer (JSON too) round-trips it.</summary>
    [Id(0)]
    public Dictionary<string, IdempotencyRecord> Records { get; set; } = new(StringComparer.Ordinal);

    // Calls of this activation whose write has not finished: a repeat that arrives meanwhile (a reentrant grain
    // interleaves) waits for the first one's outcome. In memory only: it dies with the activation.
    [NonSerialized]
    private Dictionary<string, Task<byte[]?>>? _inProgress;

    /// <summary>How many records are kept.</summary>
    public int Count => Records.Count;

    internal bool TryGet(string key, out IdempotencyRecord record) => Records.TryGetValue(key, out record!);

    internal Dictionary<string, Task<byte[]?>> InProgress => _inProgress ??= new(StringComparer.Ordinal);

    internal void Add(string key, IdempotencyRecord record) => Records[key] = record;

    /// <summary>
    /// Drops records older than <paramref name="retention"/>, then the oldest beyond <paramref name="maxRecords"/>
    /// that are older than <paramref name="minimumRetention"/>.
    /// </summary>
    internal void Trim(DateTimeOffset now, TimeSpan retention, int maxRecords, TimeSpan minimumRetention)
    {
        if (Records.Count <= maxRecords && !Records.Values.Any(r => now - r.RecordedAt > retention))
        {
            return;
        }

        var excess = Records.Count - maxRecords;
        foreach (var (key, record) in Records.OrderBy(r => r.Value.RecordedAt).ToList())
        {
            var age = now - record.RecordedAt;
            if (age > retention || (excess > 0 && age > minimumRetention))
            {
                Records.Remove(key);
                excess--;
            }
        }
    }
}
