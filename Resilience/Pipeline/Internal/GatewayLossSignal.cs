using Orleans;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>
/// Fires when a client loses a gateway connection, so attempts that are safe to repeat stop waiting on it.
/// </summary>
/// <remarks>
/// Orleans completes a client's pending calls when they time out, not when the gateway that carried them is
/// dropped: a frozen gateway is dropped once the gateway list says it died, and the attempts sent through it
/// then still wait out their whole attempt timeout (3 s by default) before the retry. That wait came on top of
/// the seconds it takes to declare a frozen silo dead and cost calls their deadline under load. Which gateway
/// carried an attempt is not visible to a filter, so every attempt in flight at the loss that is safe to
/// repeat ends at once as in doubt and is retried; a few answers that were on their way are then repeated,
/// which such calls allow. Silos need none of this: Orleans fails their calls to a silo declared dead.
/// </remarks>
internal sealed class GatewayLossSignal : IClusterConnectionStatusObserver
{
    private CancellationTokenSource _current = new();

    /// <summary>Cancelled at the next loss of a gateway connection; read it when an attempt starts.</summary>
    public CancellationToken Token => Volatile.Read(ref _current).Token;

    /// <inheritdoc />
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            Signal();
        }
    }

    /// <inheritdoc />
    public void NotifyClusterConnectionLost() => Signal();

    /// <summary>Ends the attempts waiting on the current token; later attempts get a fresh one.</summary>
    public void Signal()
    {
        var lost = Interlocked.Exchange(ref _current, new CancellationTokenSource());

        // Not on Orleans' connection thread: cancelling completes every waiting attempt's callback. Not disposed:
        // an attempt may still be linking to its token, and there is no timer to release.
        ThreadPool.UnsafeQueueUserWorkItem(static source => source.Cancel(), lost, preferLocal: false);
    }
}
