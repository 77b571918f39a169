using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Polly.CircuitBreaker;

namespace ReliableRpc.Storage.Internal;

/// <summary>
/// A grain storage provider behind the silo's <see cref="StorageGate"/>: every read, write and clear is timed against
/// the stall threshold and counted by the gate, and none is sent while it is open. A refused read fails the activation
/// at once with a NotExecuted refusal (the grain never ran), where a hung storage client would hold it for its own
/// timeout; a refused write or clear throws the gate's refusal after the effect (Unavailable + RetryAfter, not
/// NotExecuted). Every failure is an <see cref="RpcException"/>, which crosses Orleans with its status: Orleans wraps a
/// provider's exception in an <see cref="OrleansException"/>, which the status mapper and
/// <see cref="PersistentStateExtensions.WriteStateOrDeactivateAsync{TState}"/> read through.
/// </summary>
internal sealed class GatedGrainStorage(IGrainStorage inner, StorageGate gate) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public IGrainStorage Inner => inner;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            await gate.RunAsync(static s => s.inner.ReadStateAsync(s.stateName, s.grainId, s.grainState), (inner, stateName, grainId, grainState), read: true);
        }
        catch (BrokenCircuitException)
        {
            throw gate.ReadRefusal(grainId.ToString());
        }
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ChangeAsync(grainId, static s => s.inner.WriteStateAsync(s.stateName, s.grainId, s.grainState), (inner, stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ChangeAsync(grainId, static s => s.inner.ClearStateAsync(s.stateName, s.grainId, s.grainState), (inner, stateName, grainId, grainState));

    /// <summary>A write or a clear: refused after the effect while the gate is open.</summary>
    private async Task ChangeAsync<TState>(GrainId grainId, Func<TState, Task> change, TState state)
    {
        try
        {
            await gate.RunAsync(change, state);
        }
        catch (BrokenCircuitException)
        {
            throw gate.RefusalAfterEffect(grainId.ToString());
        }
    }

    /// <summary>The provider's own start and stop (a Redis provider connects in its lifecycle), unchanged.</summary>
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}
