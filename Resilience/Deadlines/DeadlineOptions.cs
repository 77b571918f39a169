namespace ReliableRpc;

/// <summary>Deadlines: every call has one, carried as a remaining budget and enforced on both sides.</summary>
public sealed class DeadlineOptions
{
    /// <summary>The default value of <see cref="DefaultDeadline"/>: 10 s.</summary>
    public static readonly TimeSpan DefaultDefaultDeadline = TimeSpan.FromSeconds(10);

    /// <summary>The default value of <see cref="MaxDeadline"/>: 30 s.</summary>
    public static readonly TimeSpan DefaultMaxDeadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The deadline of a call whose caller sets none and whose method has no <see cref="DeadlineAttribute"/>.
    /// Keep it well above the p99.9 latency and longer than the time to detect a dead silo and reactivate its
    /// grains elsewhere. Use the same value on clients and silos: a silo applies its own value to calls that
    /// arrive without a budget. The default value is 10 s.
    /// </summary>
    public TimeSpan DefaultDeadline { get; set; } = DefaultDefaultDeadline;

    /// <summary>
    /// The longest deadline any call may have; longer ones are cut to it. Orleans' own response timeout is
    /// set just above it as a backstop. The default value is 30 s.
    /// </summary>
    public TimeSpan MaxDeadline { get; set; } = DefaultMaxDeadline;
}
