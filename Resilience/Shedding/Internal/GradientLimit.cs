namespace ReliableRpc.Shedding.Internal;

/// <summary>
/// The adaptive limit's controller, after Envoy's adaptive concurrency filter and Netflix's gradient limiters: each
/// window of served calls gives a median service time; the limit is scaled by how close that median stays to the
/// minimum, plus a square-root headroom so that it can grow while latency holds.
/// <code>
/// gradient = clamp((minimum × (1 + tolerance) + 5 ms) / median, 0.5, 1)
/// limit    = clamp(base × gradient + √base, floor, ceiling), base = the limit, or the calls running if fewer and gradient &lt; 1
/// </code>
/// With a bottleneck of N slots the limit settles near N × (1 + tolerance) + √limit: queueing stays a bounded fraction
/// of the service time instead of growing with the offered load. Written by hand: no maintained .NET package offers a
/// latency-driven concurrency limit (System.Threading.RateLimiting's limiters are fixed).
/// </summary>
/// <remarks>
/// <para>
/// The minimum is the lowest window median, not the lowest single call: a silo serves methods of very different cost,
/// and a median compares like with like.
/// </para>
/// <para>
/// A silo that is overloaded never sees its unloaded latency: its medians include the queue, and a minimum taken from
/// them lets the limit creep up to the ceiling. So, as Envoy does, the minimum is measured: when calls are being
/// refused and the minimum is older than <see cref="SheddingOptions.MinLatencyWindow"/> (or was never measured), the
/// limit drops to the floor; once the calls running are no more than the floor (the queue from before has drained),
/// the next <see cref="MinSamples"/> calls admitted are the probe, and their median is the new minimum (a probe lasts
/// at most <see cref="ProbeTimeout"/>). A silo that refuses nothing never pays for a probe.
/// Not thread-safe: <see cref="AdaptiveConcurrencyLimiter"/> serializes.
/// </para>
/// </remarks>
internal sealed class GradientLimit
{
    /// <summary>Calls a window needs before it counts: fewer give a median that is mostly noise.</summary>
    internal const int MinSamples = 32;

    /// <summary>The most a window keeps; past it the oldest are overwritten, so the median is of the latest.</summary>
    internal const int MaxSamples = 256;

    /// <summary>The longest a probe holds the limit at the floor, should the queue be slow to drain or its calls to end.</summary>
    internal static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Queueing a median may show before it counts, whatever the minimum: a few milliseconds are the scheduler's and
    /// the garbage collector's on a busy machine (and a read from memory and a keyed write differ fivefold in
    /// microseconds), not a queue a caller across the network would notice.
    /// </summary>
    internal const double Allowance = 0.005;

    private const double LargestCut = 0.5;

    private readonly double _tolerance;
    private readonly int _floor;
    private readonly int _ceiling;
    private readonly long _interval;
    private readonly long _minimumAge;
    private readonly long _probeTimeout;
    private readonly double[] _samples = new double[MaxSamples];
    private int _count;
    private long _windowStart;
    private double _limit;
    private double _minimum = double.PositiveInfinity;
    private long? _minimumMeasuredAt;
    private long? _probeStart;
    private long? _probeCountsFrom;

    /// <param name="options">The limits, the tolerance and the windows.</param>
    /// <param name="frequency">Timestamp ticks per second (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    /// <param name="now">The timestamp the first window starts at.</param>
    public GradientLimit(SheddingOptions options, long frequency, long now)
    {
        _tolerance = options.LatencyTolerance;
        _floor = Math.Min(options.MinConcurrentClientCalls, options.MaxConcurrentClientCalls);
        _ceiling = options.MaxConcurrentClientCalls;
        _interval = (long)(options.UpdateInterval.TotalSeconds * frequency);
        _minimumAge = (long)(options.MinLatencyWindow.TotalSeconds * frequency);
        _probeTimeout = (long)(ProbeTimeout.TotalSeconds * frequency);
        _limit = _ceiling;
        _windowStart = now;
    }

    /// <summary>The limit now, whole calls: the floor while a probe measures the minimum.</summary>
    public int Limit => Probing ? _floor : (int)_limit;

    /// <summary>True while the limit is held at the floor to measure the minimum.</summary>
    public bool Probing => _probeStart is not null;

    /// <summary>The minimum service time, in seconds; null before the first window.</summary>
    public double? MinimumSeconds => double.IsFinite(_minimum) ? _minimum : null;

    /// <summary>The last window's median, in seconds; null before the first window.</summary>
    public double? LastMedianSeconds { get; private set; }

    /// <summary>
    /// A call was refused; returns true when that started a probe or ended one past its timeout (the limit changed).
    /// </summary>
    public bool Refused(long now)
    {
        // The probe ends here too: its calls may all fail, or never drain below the floor, and then no success comes.
        if (_probeStart is { } probe)
        {
            return now - probe >= _probeTimeout && EndProbe(now);
        }

        // A limit down at its floor and still refusing: either the silo serves fewer than the floor, or the minimum is
        // wrong (the calls became slower for good, with no queue). A probe there costs nothing, so it need not wait.
        var stale = _minimumMeasuredAt is not { } measured
            || now - measured >= _minimumAge
            || ((int)_limit <= _floor && now - measured >= _probeTimeout);
        if (!stale)
        {
            return false;
        }

        _probeStart = now;
        _count = 0;
        return true;
    }

    /// <summary>
    /// Adds one served call, admitted at <paramref name="started"/>, that took <paramref name="seconds"/> of the
    /// silo's time, with <paramref name="running"/> calls holding a lease now; returns true when the limit was
    /// recomputed.
    /// </summary>
    public bool Add(double seconds, long started, long now, int running = int.MaxValue)
    {
        if (_probeStart is { } probe)
        {
            // Calls admitted before the queue from before the probe drained waited in it: they are not the minimum.
            if (_probeCountsFrom is null && running <= _floor)
            {
                _probeCountsFrom = now;
            }

            if (started >= _probeCountsFrom)
            {
                Keep(seconds);
            }

            return (_count >= MinSamples || now - probe >= _probeTimeout) && EndProbe(now);
        }

        Keep(seconds);
        if (_count < MinSamples || now - _windowStart < _interval)
        {
            return false;
        }

        Update(Median(), running);
        _count = 0;
        _windowStart = now;
        return true;
    }

    private void Keep(double seconds)
    {
        _samples[_count % MaxSamples] = seconds;

        // Past the buffer only the position matters; kept below int.MaxValue however long a window waits for its interval.
        _count = _count < MaxSamples ? _count + 1 : MaxSamples + ((_count + 1 - MaxSamples) % MaxSamples);
    }

    private bool EndProbe(long now)
    {
        // A median of zero (a clock too coarse for the calls) is no minimum: every later window would read as a queue.
        if (_count > 0 && Median() is > 0 and var median)
        {
            _minimum = median;
            LastMedianSeconds = median;
        }

        _minimumMeasuredAt = now;
        _probeStart = null;
        _probeCountsFrom = null;
        _count = 0;
        _windowStart = now;
        return true;
    }

    private double Median()
    {
        var window = _samples.AsSpan(0, Math.Min(_count, MaxSamples));
        window.Sort();
        return window[window.Length / 2];
    }

    private void Update(double median, int running)
    {
        // Lower is better, but not measured: a silo overloaded from its first call has only queued medians, so its
        // first refusal still probes. Zero is no minimum (see EndProbe).
        if (median > 0)
        {
            _minimum = Math.Min(_minimum, median);
        }

        LastMedianSeconds = median;

        // A median of zero (a clock too coarse for the calls) says nothing about queueing: keep the gradient at 1.
        // Capped at 1, as Netflix's Gradient2 does (Envoy lets it reach 2): growth is the headroom alone, a few calls a
        // window, so that a lucky window does not let in a queue the next must cut again.
        var gradient = median > 0 ? Math.Clamp(((_minimum * (1 + _tolerance)) + Allowance) / median, LargestCut, 1) : 1;

        // A cut starts from what runs when that is below the limit: a limit of 1,000 over 60 running calls would need
        // four halvings before it refused anything, and the queue grows all the while.
        var from = gradient < 1 ? Math.Min(_limit, running) : _limit;
        _limit = Math.Clamp((from * gradient) + Math.Sqrt(from), _floor, _ceiling);
    }
}
