namespace ReliableRpc;

/// <summary>
/// The names of the pipeline's telemetry. They are public API: dashboards and alert rules depend on them,
/// so they do not change without a major version.
/// </summary>
public static class ReliableRpcDiagnostics
{
    /// <summary>The name of the Meter (and of the ActivitySource).</summary>
    public const string Name = "ReliableRpc";

    /// <summary>Counter: circuit breaker transitions, tagged <c>rpc.service</c> and <c>state</c> (open, half_open, closed).</summary>
    public const string BreakerTransitions = "reliablerpc.breaker.transitions";

    /// <summary>Counter: calls rejected because a circuit was open, tagged <c>rpc.service</c>.</summary>
    public const string BreakerRejections = "reliablerpc.breaker.rejections";

    /// <summary>Counter: calls shed by a silo before dispatch, tagged <c>rpc.service</c>.</summary>
    public const string Shed = "reliablerpc.shed";

    /// <summary>Counter: calls refused because a request or response was over the size limit, tagged <c>direction</c>.</summary>
    public const string Oversize = "reliablerpc.oversize";

    /// <summary>Counter: keyed calls answered from a stored outcome instead of running again.</summary>
    public const string DedupHits = "reliablerpc.dedup.hits";

    /// <summary>Tag: the grain interface.</summary>
    public const string ServiceTag = "rpc.service";
}
