namespace ReliableRpc.Retries.Internal;

/// <summary>Random samples for backoff jitter; seeded for reproducible runs and tests.</summary>
internal sealed class JitterSource
{
    private readonly object _gate = new();
    private readonly Random _random;

    public JitterSource(int? seed = null) => _random = seed is { } s ? new Random(s) : new Random();

    /// <summary>A sample in [0, 1).</summary>
    public double NextDouble()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }
}
