namespace ReliableRpc;

/// <summary>
/// The storage gate of a silo: one per silo, in front of every grain storage provider put behind it with
/// <see cref="StorageGateSiloBuilderExtensions.AddStorageGate"/>. When storage stops answering (a frozen or restarting
/// Redis), an operation that has waited <see cref="StallThreshold"/> fails instead of holding its caller until the
/// deadline, and once operations fail the gate opens: keyed calls are refused before their method starts
/// (Unavailable, NotExecuted, RetryAfter), other writes and activations are refused at once, until a probe operation
/// succeeds. Reads of active grains (from memory) are never refused.
/// </summary>
public sealed class StorageGateOptions
{
    /// <summary>Turns the gate on. The default value is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a write may wait before it counts as failed and its caller gets Unknown (the activation deactivates;
    /// the write itself may still commit later, which the next activation reads). The default value is 2 s: far above
    /// a healthy write (milliseconds), well below the default deadline (10 s).
    /// </summary>
    public TimeSpan StallThreshold { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The share of writes, over <see cref="SamplingDuration"/>, that must fail or stall to open the gate. The default
    /// value is 0.5.
    /// </summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>The fewest writes in <see cref="SamplingDuration"/> that can open the gate. The default value is 3.</summary>
    public int MinimumThroughput { get; set; } = 3;

    /// <summary>
    /// The window the ratio is taken over. The default value is 2 s: as long as <see cref="StallThreshold"/>, so that
    /// when writes start to stall, the successes before the stall have left the window by the time the first stalled
    /// write fails.
    /// </summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the gate stays open before it lets a probe write through; also the RetryAfter of its refusals. The
    /// default value is 1 s.
    /// </summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(1);
}
