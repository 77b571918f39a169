namespace ReliableRpc;

/// <summary>How a silo leaves on a graceful stop, so that clients move to other gateways without failed calls.</summary>
public sealed class DrainOptions
{
    /// <summary>
    /// After telling its clients to stop sending to it, the stopping gateway waits this long before it goes on
    /// shutting down (Orleans' <c>ClientGatewayShutdownNotificationTimeout</c>, 0 by default in Orleans): calls
    /// already on their way still land, and new ones go elsewhere. Measured here: without it, a deposit in flight
    /// to a stopping gateway hung until its deadline in 2 runs of 5; with 1 s, in none of 5. The default value is 1 s.
    /// </summary>
    public TimeSpan ClientNotificationDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// On clients: how long a client keeps its connection to a gateway that told it to stop sending (a silo
    /// stopping gracefully) while sending nothing new through it. Replies to calls that gateway forwarded come back
    /// through it; Orleans otherwise keeps the mark only for one gateway-list refresh (1 s here), then closes the
    /// connection once the list no longer shows the silo, and the replies still on their way are lost: an
    /// at-most-once call then waits out its deadline. It should cover a graceful stop (1.3–4 s measured). It also
    /// bounds how long a gateway whose connection failed is avoided. The default value is 10 s.
    /// </summary>
    public TimeSpan StoppingGatewayKeptFor { get; set; } = TimeSpan.FromSeconds(10);
}
