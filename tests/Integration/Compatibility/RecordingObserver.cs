using System.Collections.Concurrent;
using ReliableRpc.Tests.Integration.Compatibility.Grains;

namespace ReliableRpc.Tests.Integration.Compatibility;

/// <summary>A client-side observer that keeps what it was told.</summary>
public sealed class RecordingObserver : ITestObserver
{
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Messages { get; } = new();

    /// <summary>Completes at the first notification.</summary>
    public Task FirstNotification => _first.Task;

    public Task OnNotify(string message)
    {
        Messages.Enqueue(message);
        _first.TrySetResult();
        return Task.CompletedTask;
    }
}
