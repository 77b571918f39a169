namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>Methods that take the caller's cancellation token, as Orleans' CancellationTokenTests' LongWait does.</summary>
public interface ICancellableGrain : IGrainWithGuidKey
{
    /// <summary>Reports its start to <see cref="CallProbe"/>, then waits on its token (at most 20 s) and reports the cancellation.</summary>
    Task WaitForCancellation(Guid callId, CancellationToken cancellationToken);

    /// <summary>Returns a cancelled task, as Orleans' ExceptionGrain.Canceled does.</summary>
    Task Canceled();

    /// <summary>A plain call, to show the grain was reachable.</summary>
    Task<int> Ping();
}

public sealed class CancellableGrain : Grain, ICancellableGrain
{
    public async Task WaitForCancellation(Guid callId, CancellationToken cancellationToken)
    {
        var probe = CallProbe.For(callId);
        probe.MarkStarted();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(20), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            probe.MarkTokenCancelled();
            throw;
        }
    }

    public Task Canceled() => Task.FromCanceled(new CancellationToken(canceled: true));

    public Task<int> Ping() => Task.FromResult(1);
}
