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
    public async Task CallFromTimer(string echoKey, string payload, CancellationToken cancellationToken)
    {
        _outcome = null;

        // Activate the echo grain first, from here, so it lands on this silo; then make it fail once.
        await GrainFactory.GetGrain<IFlakyEchoGrain>(echoKey).FailFirst(1, cancellationToken);
        EchoFromTimer(echoKey, payload);
    }

    /// <inheritdoc />
    public async Task CallStalledFromTimer(string echoKey, string payload, TimeSpan stall, CancellationToken cancellationToken)
    {
        _outcome = null;
        await GrainFactory.GetGrain<IFlakyEchoGrain>(echoKey).StallNext(stall, cancellationToken);
        EchoFromTimer(echoKey, payload);
    }

    private void EchoFromTimer(string echoKey, string payload) =>
        this.RegisterGrainTimer(
            async ct =>
            {
                try
                {
                    _outcome = await GrainFactory.GetGrain<IFlakyEchoGrain>(echoKey).Echo(payload, ct) ?? "null";
                }
                catch (Exception failure)
                {
                    _outcome = $"failed: {RpcStatus.Of(failure)}";
                }
            },
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));

    /// <inheritdoc />
    public Task<string?> GetOutcome(CancellationToken cancellationToken) => Task.FromResult(_outcome);

    /// <inheritdoc />
    public Task<string> GetSilo(CancellationToken cancellationToken) => Task.FromResult(RuntimeIdentity);
}
