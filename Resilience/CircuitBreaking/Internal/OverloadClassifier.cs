namespace ReliableRpc.CircuitBreaking.Internal;

/// <summary>Which failures a circuit breaker counts: signs that the target is overloaded, nothing else.</summary>
internal static class OverloadClassifier
{
    /// <summary>
    /// True for DeadlineExceeded, ResourceExhausted and Internal as a server reports them. Caller errors do not
    /// count, and neither do Unavailable rejections (a silo leaving): one dead silo of three must not open the
    /// circuit for every grain of an interface. Nor does a timeout the caller itself saw (its attempt timeout,
    /// Orleans' response timeout): it cannot tell a slow target from a frozen or unreachable silo, and measured
    /// with one silo of three frozen by SIGSTOP, counting those opened the circuit for every grain of the
    /// interface. Its DeadlineExceeded (dropped on arrival, cut while running) rarely reaches a caller still waiting:
    /// its budget starts when the call arrives, so the caller's own timeout fires first. So a target that is only
    /// slow, and does not shed, never opens the circuit. The pipeline's own brakes never count, and neither does one
    /// grain's own limit (<see cref="RpcException.QuotaKey"/>), nor a silo's shed (<see cref="RpcException.SheddingKey"/>):
    /// shedding at its adaptive limit it serves at its capacity and paces its callers, and a circuit opened on its
    /// refusals would refuse the calls it can serve too (docs/decisions/0004). Orleans' own overload refusals (an
    /// activation's queue full, a gateway too busy) still count.
    /// </summary>
    public static bool IsOverload(RpcException? failure) => failure switch
    {
        null or { IsBrake: true } => false,
        { Status: RpcStatus.ResourceExhausted } => !failure.Metadata.ContainsKey(RpcException.QuotaKey) && !failure.Metadata.ContainsKey(RpcException.SheddingKey),
        { Status: RpcStatus.Internal } => true,
        { Status: RpcStatus.DeadlineExceeded } => !failure.ClientGenerated,
        _ => false,
    };
}
