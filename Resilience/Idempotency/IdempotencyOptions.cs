namespace ReliableRpc;

/// <summary>How long grains remember the outcomes of keyed calls.</summary>
public sealed class IdempotencyOptions
{
    /// <summary>The default of <see cref="ClockSkewAllowance"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultClockSkewAllowance = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A record is kept at least this long after its call: a repeat of the key within it gets the stored outcome.
    /// It must cover the longest a repeat of an edge's own retries can still run: twice
    /// <see cref="DeadlineOptions.MaxDeadline"/> plus 2 s (the last attempt's send, then its longest wait in Orleans'
    /// queues) plus <see cref="ClockSkewAllowance"/>; a caller that repeats a key later than this (after a restart,
    /// say) may apply it twice. The default value is 10 minutes.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How far the clocks of two silos may disagree: a record is aged on the clock of the silo that holds its grain
    /// now, which may not be the one that wrote it. The default value is 5 s.
    /// </summary>
    public TimeSpan ClockSkewAllowance { get; set; } = DefaultClockSkewAllowance;

    /// <summary>
    /// Records kept per grain beyond which the oldest are dropped, but never one a repeat could still reach
    /// (MaxDeadline + the silo's response timeout + <see cref="ClockSkewAllowance"/>): a grain taking many keyed
    /// calls at once keeps them all until their retries are over. The records are written with the grain's state, so this bounds its size
    /// (about 100 bytes a record). The default value is 100.
    /// </summary>
    public int MaxRecords { get; set; } = 100;

    /// <summary>
    /// The most records a grain's state may carry. Records younger than <see cref="DeadlineOptions.MaxDeadline"/>
    /// are never dropped (a retry of their key may still come), so a grain taking more than
    /// <see cref="MaxRecords"/> keyed calls per MaxDeadline keeps them all, and every write carries them. Past this
    /// limit a new key is refused before it runs, with ResourceExhausted and a RetryAfter of when the oldest record
    /// may go; repeats of keys already recorded are still answered. Bounds the state (~90 bytes a record) instead of
    /// letting its writes grow with the call rate. At least <see cref="MaxRecords"/>. The default value is 2,000.
    /// </summary>
    public int RecordLimit { get; set; } = 2_000;
}
