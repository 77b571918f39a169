using Orleans;
using Orleans.Placement;
using Orleans.Runtime;

namespace ReliableRpc.Grains.Chaos;

/// <summary>Calls a grain from a grain timer tick: an edge, so the pipeline may retry it.</summary>
[RandomPlacement]
public sealed class TimerCallerGrain : Grain, ITimerCallerGrain
{
    private string? _outcome;

    /// <inheritdoc />
    public Task CallFromTimer(string echoKey, string payload)
    {
        _outcome = null;
        this.RegisterGrainTimer(
            async ct =>
            {
                try
                {
                    _outcome = await GrainFactory.GetGrain<IFlakyEchoGrain>(echoKey).Echo(payload, ct);
                }
                catch (RpcException failure)
                {
                    _outcome = $"failed: {failure.Status}";
                }
            },
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string?> GetOutcome() => Task.FromResult(_outcome);

    /// <inheritdoc />
    public Task<string> GetSilo() => Task.FromResult(RuntimeIdentity);
}
