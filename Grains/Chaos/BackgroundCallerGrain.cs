using Orleans;

namespace ReliableRpc.Grains.Chaos;

/// <summary>Fire-and-forget work that outlives the call which started it, as background loops do.</summary>
public sealed class BackgroundCallerGrain : Grain, IBackgroundCallerGrain
{
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _outcome;

    /// <inheritdoc />
    public async Task StartBackgroundCall(string echoKey, string payload, CancellationToken cancellationToken)
    {
        _outcome = null;
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Activate the echo grain first, from here, so it lands on this silo; then make it fail once.
        await GrainFactory.GetGrain<IFlakyEchoGrain>(echoKey).FailFirst(1, cancellationToken);

        // Not awaited on purpose: the work inherits this call's async flow, and calls after the call has returned.
        _ = EchoLaterAsync(echoKey, payload, _release.Task);
    }

    private async Task EchoLaterAsync(string echoKey, string payload, Task release)
    {
        await release;
        try
        {
            _outcome = await GrainFactory.GetGrain<IFlakyEchoGrain>(echoKey).Echo(payload) ?? "null";
        }
        catch (Exception failure)
        {
            _outcome = $"failed: {RpcStatus.Of(failure)}: {failure.Message}";
        }
    }

    /// <inheritdoc />
    public Task Release(CancellationToken cancellationToken)
    {
        _release.TrySetResult();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string?> GetOutcome(CancellationToken cancellationToken) => Task.FromResult(_outcome);
}
