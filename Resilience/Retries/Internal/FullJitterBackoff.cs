namespace ReliableRpc.Retries.Internal;

/// <summary>
/// Exponential backoff with full jitter: the n-th retry waits a uniformly random time in
/// [0, min(cap, base × 2^(n−1))). Full jitter spreads a burst of failed callers the most.
/// </summary>
internal static class FullJitterBackoff
{
    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the first), given a sample in [0, 1).</summary>
    public static TimeSpan Delay(int retry, RetryProfile profile, double sample)
    {
        var ceiling = Ceiling(retry, profile);
        return TimeSpan.FromTicks((long)(ceiling.Ticks * sample));
    }

    /// <summary>The upper bound of the wait before retry number <paramref name="retry"/>.</summary>
    public static TimeSpan Ceiling(int retry, RetryProfile profile)
    {
        var exponent = Math.Min(retry - 1, 30);
        var ticks = profile.BaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= profile.MaxDelay.Ticks ? profile.MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
