using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace ReliableRpc.Tests.Integration.Infrastructure;

/// <summary>
/// Grain storage shared by every silo of the in-process test cluster, so state survives a silo stopping
/// (Orleans' memory storage keeps state in grains that die with their silo). It stores serialized copies and
/// checks ETags like a real store; it counts writes, and can be told to fail or hold writes, for the tests.
/// </summary>
public sealed class SharedGrainStorage(Serializer serializer) : IGrainStorage
{
    private static readonly ConcurrentDictionary<string, (byte[] Data, string ETag)> Store = new();
    private static readonly ConcurrentDictionary<string, WriteFault> Faults = new();
    private static readonly ConcurrentDictionary<string, (Func<object?, bool> When, WriteFault Fault)> FaultsWhere = new();
    private static readonly ConcurrentDictionary<string, TimeSpan> Delays = new();
    private static readonly ConcurrentDictionary<string, WriteHold> Holds = new();
    private static readonly ConcurrentDictionary<string, int> WritesByKey = new();
    private static readonly ConcurrentDictionary<string, int> StaleWritesByKey = new();

    /// <summary>How the next write of a grain fails.</summary>
    public enum WriteFault
    {
        /// <summary>The write throws and nothing is stored.</summary>
        BeforeCommit,

        /// <summary>The write is stored, then throws: the caller cannot tell.</summary>
        AfterCommit,
    }

    /// <summary>A write kept in flight until the test lets it go (<see cref="HoldNextWrite"/>).</summary>
    public sealed class WriteHold
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<WriteFault?> _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the held write has begun; nothing of it is stored yet.</summary>
        public Task Started => _started.Task;

        /// <summary>Lets the write go on: it is stored, or fails as <paramref name="fault"/> says.</summary>
        public void Release(WriteFault? fault = null) => _released.TrySetResult(fault);

        internal async Task<WriteFault?> WaitAsync()
        {
            _started.TrySetResult();
            return await _released.Task;
        }
    }

    /// <summary>Writes of the grains whose id contains <paramref name="grainKey"/> (tests run in parallel: count your own).</summary>
    public static int WritesOf(string grainKey) => WritesByKey.Where(w => w.Key.Contains(grainKey, StringComparison.Ordinal)).Sum(w => w.Value);

    /// <summary>The stored state of the grain whose id contains <paramref name="grainKey"/>, read without activating it.</summary>
    public static T? Stored<T>(string grainKey, Serializer serializer) =>
        Store.FirstOrDefault(s => s.Key.Contains(grainKey, StringComparison.Ordinal)).Value.Data is { } data ? serializer.Deserialize<T>(data) : default;

    /// <summary>How many states are stored for grains whose id contains <paramref name="grainKey"/>.</summary>
    public static int CountStored(string grainKey) => Store.Keys.Count(k => k.Contains(grainKey, StringComparison.Ordinal));

    /// <summary>Overwrites the stored state of the grain whose id contains <paramref name="grainKey"/> with <paramref name="state"/>, keeping its ETag: storage corrupted underneath.</summary>
    public static void Corrupt<T>(string grainKey, T state, Serializer serializer)
    {
        lock (Store)
        {
            var key = Store.Keys.Single(k => k.Contains(grainKey, StringComparison.Ordinal));
            Store[key] = (serializer.SerializeToArray(state), Store[key].ETag);
        }
    }

    /// <summary>Makes the next write of the grain whose id contains <paramref name="grainKey"/> fail.</summary>
    public static void FailNextWrite(string grainKey, WriteFault fault) => Faults[grainKey] = fault;

    /// <summary>
    /// Makes the first write of the grain whose id contains <paramref name="grainKey"/> whose new state satisfies
    /// <paramref name="when"/> fail: a chosen step of a grain that writes several times.
    /// </summary>
    public static void FailWriteWhere<T>(string grainKey, Func<T, bool> when, WriteFault fault) =>
        FaultsWhere[grainKey] = (state => state is T typed && when(typed), fault);

    /// <summary>
    /// Gives the stored state of the grain whose id contains <paramref name="grainKey"/> a new ETag, as if another
    /// activation of it (on a silo that took over from a frozen one) had written: the activation still running
    /// here is now stale, and its next write must be refused.
    /// </summary>
    public static void WriteFromAnotherActivation(string grainKey)
    {
        lock (Store)
        {
            var key = Store.Keys.Single(k => k.Contains(grainKey, StringComparison.Ordinal));
            Store[key] = (Store[key].Data, Guid.NewGuid().ToString("N"));
        }
    }

    /// <summary>Writes refused on their ETag, of the grains whose id contains <paramref name="grainKey"/>.</summary>
    public static int StaleWritesOf(string grainKey) => StaleWritesByKey.Where(w => w.Key.Contains(grainKey, StringComparison.Ordinal)).Sum(w => w.Value);

    /// <summary>
    /// Holds the next write of the grain whose id contains <paramref name="grainKey"/> until the returned hold is
    /// released: a write in flight for exactly as long as a test needs, without sleeps.
    /// </summary>
    public static WriteHold HoldNextWrite(string grainKey) => Holds[grainKey] = new WriteHold();

    /// <summary>Makes every write of the grain whose id contains <paramref name="grainKey"/> take <paramref name="delay"/>.</summary>
    public static void SlowWrites(string grainKey, TimeSpan delay) => Delays[grainKey] = delay;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Store.TryGetValue(Key(stateName, grainId), out var stored))
        {
            grainState.State = serializer.Deserialize<T>(stored.Data);
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var id = grainId.ToString();
        if (Delays.FirstOrDefault(d => id.Contains(d.Key, StringComparison.Ordinal)).Value is { } delay && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay);
        }

        WriteFault? fault = null;
        if (Holds.Keys.FirstOrDefault(k => id.Contains(k, StringComparison.Ordinal)) is { } held && Holds.TryRemove(held, out var hold))
        {
            fault = await hold.WaitAsync();
        }

        if (fault is null && Faults.Keys.FirstOrDefault(k => id.Contains(k, StringComparison.Ordinal)) is { } faulty && Faults.TryRemove(faulty, out var f))
        {
            fault = f;
        }

        if (fault is null
            && FaultsWhere.FirstOrDefault(w => id.Contains(w.Key, StringComparison.Ordinal) && w.Value.When(grainState.State)) is { Key: { } chosen }
            && FaultsWhere.TryRemove(chosen, out var where))
        {
            fault = where.Fault;
        }

        if (fault == WriteFault.BeforeCommit)
        {
            throw new IOException($"injected storage failure before commit of {key}");
        }

        var etag = Guid.NewGuid().ToString("N");
        var data = serializer.SerializeToArray(grainState.State);
        lock (Store)
        {
            var current = Store.TryGetValue(key, out var stored) ? stored.ETag : null;
            if (current != grainState.ETag)
            {
                StaleWritesByKey.AddOrUpdate(key, 1, (_, n) => n + 1);
                throw new InconsistentStateException($"ETag mismatch for {key}", current, grainState.ETag);
            }

            Store[key] = (data, etag);
        }

        WritesByKey.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (fault == WriteFault.AfterCommit)
        {
            throw new IOException($"injected storage failure after commit of {key}");
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Store.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{grainId}/{stateName}";
}
