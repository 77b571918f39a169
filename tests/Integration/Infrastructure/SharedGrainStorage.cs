using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace ReliableRpc.Tests.Integration.Infrastructure;

/// <summary>
/// Grain storage shared by every silo of the in-process test cluster, so state survives a silo stopping
/// (Orleans' memory storage keeps state in grains that die with their silo). It stores serialized copies and
/// checks ETags like a real store; it counts writes, and can be told to fail writes, for the tests.
/// </summary>
public sealed class SharedGrainStorage(Serializer serializer) : IGrainStorage
{
    private static readonly ConcurrentDictionary<string, (byte[] Data, string ETag)> Store = new();
    private static int _writes;

    /// <summary>Writes done by every silo since the process started.</summary>
    public static int Writes => Volatile.Read(ref _writes);

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

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var etag = Guid.NewGuid().ToString("N");
        var data = serializer.SerializeToArray(grainState.State);
        lock (Store)
        {
            var current = Store.TryGetValue(key, out var stored) ? stored.ETag : null;
            if (current != grainState.ETag)
            {
                throw new InconsistentStateException($"ETag mismatch for {key}", current, grainState.ETag);
            }

            Store[key] = (data, etag);
        }

        Interlocked.Increment(ref _writes);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
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
