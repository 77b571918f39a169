namespace ReliableRpc;

/// <summary>How hard an edge retries: attempts and the exponential backoff with full jitter between them.</summary>
public sealed class RetryProfile
{
    /// <summary>The name of the default profile, for interactive calls (a person is waiting).</summary>
    public const string Interactive = "interactive";

    /// <summary>The name of the profile for batch work (nobody is waiting; longer waits, more attempts).</summary>
    public const string Batch = "batch";

    /// <summary>
    /// The most attempts that may have executed (the first included). Transparent retries of calls that
    /// certainly did not run are not counted. The default value is 4 (1 + 3, the interactive rule of thumb).
    /// </summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first retry waits a random time up to this. The default value is 50 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>No wait is longer than this. The default value is 1 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The interactive defaults: 4 attempts, 50 ms base, 1 s cap.</summary>
    public static RetryProfile CreateInteractive() => new();

    /// <summary>The batch defaults: 8 attempts, 500 ms base, 10 s cap.</summary>
    public static RetryProfile CreateBatch() => new() { MaxAttempts = 8, BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(10) };
}
