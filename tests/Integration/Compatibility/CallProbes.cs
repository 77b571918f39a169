using System.Collections.Concurrent;

namespace ReliableRpc.Tests.Integration.Compatibility;

/// <summary>
/// What a grain saw during one call, reported straight to the test. TestCluster silos run in the test's process, so
/// a grain can signal here without making grain calls, which would themselves go through the pipeline under test.
/// </summary>
public sealed class CallProbe
{
    private static readonly ConcurrentDictionary<Guid, CallProbe> Probes = new();

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _tokenCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static CallProbe For(Guid callId) => Probes.GetOrAdd(callId, _ => new CallProbe());

    /// <summary>Completes when the grain method started.</summary>
    public Task Started => _started.Task;

    /// <summary>Completes when the grain saw its cancellation token cancelled.</summary>
    public Task TokenCancelled => _tokenCancelled.Task;

    public void MarkStarted() => _started.TrySetResult();

    public void MarkTokenCancelled() => _tokenCancelled.TrySetResult();
}
