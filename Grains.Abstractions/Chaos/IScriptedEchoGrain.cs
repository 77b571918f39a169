using Orleans;

namespace ReliableRpc.Grains.Chaos;

/// <summary>
/// The echo of <see cref="IFlakyEchoGrain"/> under an interface of its own, so telemetry tests can count exactly
/// their calls (metrics and spans are per interface). Set its failures with <see cref="IFlakyEchoGrain.FailFirst"/>
/// on the same key.
/// </summary>
[Alias("ReliableRpc.Chaos.IScriptedEchoGrain")]
public interface IScriptedEchoGrain : IGrainWithStringKey
{
    /// <summary>Echoes <paramref name="payload"/>, unless one of the first failures is due.</summary>
    [Idempotent]
    [Alias("Echo")]
    Task<string> Echo(string payload, CancellationToken cancellationToken = default);
}
