namespace ReliableRpc;

/// <summary>
/// Overload shedding on silos: a cap on concurrent calls that arrive from clients. Beyond it, calls are refused
/// before dispatch with ResourceExhausted + RetryAfter + NotExecuted, and the client waits before retrying.
/// Calls between grains (work in progress), timer ticks and Orleans' own traffic are never shed.
/// </summary>
public sealed class SheddingOptions
{
    /// <summary>Turns shedding on. The default value is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The most client calls one silo runs at once. The default value is 1,000.</summary>
    public int MaxConcurrentClientCalls { get; set; } = 1_000;

    /// <summary>The pushback sent with a refusal. The default value is 200 ms.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Orleans' per-activation queue limit (<c>SiloMessagingOptions.MaxEnqueuedRequestsHardLimit</c>, off by default
    /// in Orleans): an activation with more requests running and waiting refuses new ones, which callers see as
    /// ResourceExhausted + NotExecuted. 0 leaves Orleans' setting alone. The default value is 5,000.
    /// </summary>
    public int MaxQueuedPerActivation { get; set; } = 5_000;
}
