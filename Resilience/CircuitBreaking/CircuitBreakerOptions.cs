namespace ReliableRpc;

/// <summary>
/// One circuit breaker per target grain interface (Polly v8). It opens when the share of overload failures a server
/// reports among calls passes <see cref="FailureRatio"/>: ResourceExhausted (shedding) and Internal, and
/// DeadlineExceeded only as a server reports it, which a caller still waiting rarely sees. A target that is only
/// slow does not open it: the caller's own attempt timeout or deadline fires first, and a timeout only the caller
/// saw does not count (it cannot tell a slow target from a frozen silo). While open, calls fail at once with
/// Unavailable + NotExecuted and no message leaves the caller.
/// </summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>Turns circuit breaking on. The default value is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The share of overload failures that opens the circuit. The default value is 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>The fewest calls in a sampling window before the circuit may open. The default value is 20.</summary>
    public int MinimumThroughput { get; set; } = 20;

    /// <summary>The window the ratio is measured over. The default value is 10 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the circuit stays open before letting a probe through. The default value is 5 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
