using Orleans;
using Orleans.Runtime;

namespace ReliableRpc.Grains.Ledger;

/// <summary>How the ledger's grains write their state.</summary>
internal static class PersistentStateWriter
{
    /// <summary>
    /// Writes the state. Storage can commit and still throw, and the in-memory state already holds the
    /// change: on any failure the activation is dropped so the next call reloads the truth, and the caller
    /// learns the outcome is Unknown. The write is not cancelled with the call: once a change is decided,
    /// abandoning its write halfway only adds an unknown.
    /// </summary>
    public static async Task WriteStateOrDeactivateAsync<TState>(this Grain grain, IPersistentState<TState> state)
    {
        try
        {
            await state.WriteStateAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            grain.DeactivateOnIdle();
            throw new RpcException(RpcStatus.Unknown,
                $"storage write of {grain.GetGrainId()} failed; its outcome is unknown: {exception.Message}");
        }
    }
}
