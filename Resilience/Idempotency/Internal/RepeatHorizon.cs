namespace ReliableRpc.Idempotency.Internal;

/// <summary>
/// How long after a key's first run a repeat of it can still run: no record is dropped younger than this.
/// </summary>
/// <remarks>
/// The argument, link by link (each tested): an edge sends no attempt after its call's deadline, at most
/// <see cref="DeadlineOptions.MaxDeadline"/> after the call started, so before the first run plus MaxDeadline
/// (CallPipelineTests.AttemptTimeouts_StillEndAtTheDeadline); a sent request that waits in Orleans' queues past
/// its time to live, the sender's response timeout, is dropped unrun (DropExpiredMessages, forced on by
/// <c>AddReliableRpc</c>; RepeatHorizonTests); records are aged on the clock of whichever silo holds the grain,
/// so clocks may disagree by up to <see cref="IdempotencyOptions.ClockSkewAllowance"/>. Clients must not set a
/// longer response timeout than the silos', and a keyed method must not raise its own with [ResponseTimeout].
/// Issue 25 replaces this time bound with per-session sequence numbers.
/// </remarks>
internal static class RepeatHorizon
{
    /// <summary>MaxDeadline + the silo's response timeout + the clock skew allowed.</summary>
    public static TimeSpan Of(TimeSpan maxDeadline, TimeSpan responseTimeout, TimeSpan clockSkewAllowance) =>
        maxDeadline + responseTimeout + clockSkewAllowance;
}
