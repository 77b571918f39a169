namespace ReliableRpc.CircuitBreaking.Internal;

/// <summary>Which failures a circuit breaker counts: signs that the target is overloaded, nothing else.</summary>
internal static class OverloadClassifier
{
    /// <summary>
    /// True for DeadlineExceeded, ResourceExhausted and Internal. Caller errors do not count, and neither do
    /// Unavailable rejections (a silo leaving): one dead silo of three must not open the circuit for every grain
    /// of an interface. The pipeline's own brakes never count.
    /// </summary>
    public static bool IsOverload(RpcException? failure) =>
        failure is { IsBrake: false, Status: RpcStatus.DeadlineExceeded or RpcStatus.ResourceExhausted or RpcStatus.Internal };
}
