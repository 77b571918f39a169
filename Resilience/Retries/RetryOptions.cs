namespace ReliableRpc;

/// <summary>Retries: only at the edge, classified by status and method safety, bounded, jittered and budgeted.</summary>
public sealed class RetryOptions
{
    /// <summary>
    /// Turns retries on. With false, every call makes one attempt (deadlines still apply). The default value is true.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Named profiles; <see cref="RetryProfile.Interactive"/> is the default and <see cref="RetryProfile.Batch"/>
    /// is there for batch work. Select one per method with <see cref="RetryProfileAttribute"/> or per call with
    /// <see cref="RpcCall.RetryProfile(string)"/>.
    /// </summary>
    public Dictionary<string, RetryProfile> Profiles { get; set; } = new(StringComparer.Ordinal)
    {
        [RetryProfile.Interactive] = RetryProfile.CreateInteractive(),
        [RetryProfile.Batch] = RetryProfile.CreateBatch(),
    };

    /// <summary>
    /// The longest one attempt of a safe-to-repeat call may take before it is abandoned and retried, so a frozen
    /// silo costs one attempt rather than the whole deadline. Calls that are not safe to repeat get the whole
    /// deadline for their one attempt. The default value is 3 s.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A retry starts only when at least this much of the deadline is left after its wait. The default value is 100 ms.</summary>
    public TimeSpan MinAttemptBudget { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Seeds the backoff jitter, to reproduce a run exactly; null (the default) seeds it at random.</summary>
    public int? JitterSeed { get; set; }

    /// <summary>The retry budget.</summary>
    public RetryBudgetOptions Budget { get; set; } = new();
}
