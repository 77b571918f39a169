using Orleans;
using Orleans.Runtime;

namespace ReliableRpc;

/// <summary>Writing grain state so that a failed write never leaves an activation trusting its memory.</summary>
public static class PersistentStateExtensions
{
    /// <summary>
    /// Writes the state. Storage can commit and still throw, and the in-memory state already holds the change:
    /// on any failure the activation is deactivated so the next call reloads the truth, and the caller gets
    /// Unknown (the change may or may not be stored). The write is not cancelled with the call: once a change is
    /// decided, abandoning its write halfway only adds an unknown.
    /// </summary>
    public static async Task WriteStateOrDeactivateAsync<TState>(this IGrainBase grain, IPersistentState<TState> state)
    {
        try
        {
            await state.WriteStateAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            grain.DeactivateOnIdle();
            throw new RpcException(RpcStatus.Unknown,
                $"storage write of {grain.GrainContext.GrainId} failed; its outcome is unknown: {exception.Message}");
        }
    }
}
