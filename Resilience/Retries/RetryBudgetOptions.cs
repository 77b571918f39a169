namespace ReliableRpc;

/// <summary>
/// The retry budget of one client or silo: a token bucket (as in gRPC's retry throttling and Finagle's
/// retry budget) that lets retries add at most <see cref="Ratio"/> to the traffic, plus a small floor, so a
/// failing dependency is never hit by a retry storm.
/// </summary>
public sealed class RetryBudgetOptions
{
    /// <summary>Retries earned per logical call. The default value is 0.2 (20 % more traffic at most).</summary>
    public double Ratio { get; set; } = 0.2;

    /// <summary>Retries allowed per second whatever the traffic, so a quiet caller can still retry. The default value is 10.</summary>
    public double MinRetriesPerSecond { get; set; } = 10;

    /// <summary>The most retries saved up from quiet times. The default value is 100.</summary>
    public double MaxSaved { get; set; } = 100;
}
