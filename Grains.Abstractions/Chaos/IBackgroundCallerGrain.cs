using Orleans;
using Orleans.Concurrency;

namespace ReliableRpc.Grains.Chaos;

/// <summary>Starts work it does not await, which calls another grain after the call that started it has returned.</summary>
[Alias("ReliableRpc.Chaos.IBackgroundCallerGrain")]
public interface IBackgroundCallerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Activates <paramref name="echoKey"/> (on this silo, it prefers local placement) set to fail once, then starts
    /// work it does not await: it waits for <see cref="Release"/>, then calls <see cref="IFlakyEchoGrain.Echo"/> on it.
    /// Returns before the work calls. At most once: a repeat would start the work twice.
    /// </summary>
    [AtMostOnce]
    [Alias("StartBackgroundCall")]
    Task StartBackgroundCall(string echoKey, string payload, CancellationToken cancellationToken = default);

    /// <summary>Lets the background work make its call.</summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("Release")]
    Task Release(CancellationToken cancellationToken = default);

    /// <summary>The background call's result, or its failure's status and detail; null while it runs.</summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("GetOutcome")]
    Task<string?> GetOutcome(CancellationToken cancellationToken = default);
}
