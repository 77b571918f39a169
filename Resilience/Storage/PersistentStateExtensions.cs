using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace ReliableRpc;

/// <summary>Writing grain state so that a failed write never leaves an activation trusting its memory.</summary>
public static class PersistentStateExtensions
{
    /// <summary>
    /// Writes the state. Storage can commit and still throw, and the in-memory state already holds the change:
    /// on any failure the activation is deactivated so the next call reloads the truth, and the caller gets
    /// Unknown (the change may or may not be stored). A write refused on its ETag — another activation of the grain
    /// wrote since this one read, as when a silo frozen and declared dead wakes with its old activations — stored
    /// nothing: the caller gets Aborted, which keyed and idempotent calls retry on the live activation. The write is
    /// not cancelled with the call: once a change is decided, abandoning its write halfway only adds an unknown.
    /// Behind the silo's storage gate (<see cref="StorageGateSiloBuilderExtensions.AddStorageGate"/>), a write that
    /// stalls fails Unknown after the stall threshold rather than at the deadline, and while the gate is open the write
    /// is not sent: Unavailable with RetryAfter, not NotExecuted, since the method ran.
    /// </summary>
    public static async Task WriteStateOrDeactivateAsync<TState>(this IGrainBase grain, IPersistentState<TState> state)
    {
        try
        {
            await state.WriteStateAsync(CancellationToken.None);
        }
        catch (OrleansException wrapper) when (wrapper.GetType() == typeof(OrleansException) && wrapper.InnerException is RpcException verdict)
        {
            // The provider said what its failure means (the storage gate: a write refused, or one that stalled and may
            // still commit); Orleans wrapped it. The memory holds a change storage may not: deactivate as for any failure.
            grain.DeactivateOnIdle();
            throw verdict;
        }
        catch (InconsistentStateException stale)
        {
            grain.DeactivateOnIdle();
            throw new RpcException(RpcStatus.Aborted,
                $"storage refused a stale write of {grain.GrainContext.GrainId} (another activation wrote since this one read); nothing was written: {stale.Message}");
        }
        catch (Exception exception)
        {
            grain.DeactivateOnIdle();
            throw new RpcException(RpcStatus.Unknown,
                $"storage write of {grain.GrainContext.GrainId} failed; its outcome is unknown: {exception.Message}");
        }
    }
}
