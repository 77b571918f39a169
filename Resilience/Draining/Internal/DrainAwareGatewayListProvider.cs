using Orleans.Messaging;

namespace ReliableRpc.Draining.Internal;

/// <summary>
/// The client's gateway list as the clustering provider gives it, with a longer <see cref="MaxStaleness"/>: Orleans
/// keeps a gateway that announced its stop connected (but sends nothing new through it) for that long, so the
/// replies it still forwards arrive. See <see cref="DrainOptions.StoppingGatewayKeptFor"/>.
/// </summary>
/// <remarks>
/// Orleans' <c>GatewayManager</c> reads <c>MaxStaleness</c> as "how long a mark stays true": a gateway marked
/// unavailable for sending by its stop notice, or dead after a failed connection. Providers set it to the list's
/// refresh period, 1 s here, which ends the mark while the stopping silo is still deactivating grains; the silo
/// then drops out of the list, the client closes the connection, and replies routed back through that gateway wait
/// there for a client that is gone until the silo exits. Only the staleness changes: the list itself is the
/// provider's, read as often as before.
/// </remarks>
internal sealed class DrainAwareGatewayListProvider(IGatewayListProvider inner, TimeSpan keptFor) : IGatewayListProvider
{
    /// <summary>The provider this one wraps.</summary>
    public IGatewayListProvider Inner => inner;

    /// <inheritdoc />
    public TimeSpan MaxStaleness => inner.MaxStaleness > keptFor ? inner.MaxStaleness : keptFor;

    /// <inheritdoc />
    [Obsolete("Orleans no longer reads it; required by the interface.")]
    public bool IsUpdatable => true;

    /// <inheritdoc />
    public Task InitializeGatewayListProvider() => inner.InitializeGatewayListProvider();

    /// <inheritdoc />
    public Task<IList<Uri>> GetGateways() => inner.GetGateways();
}
