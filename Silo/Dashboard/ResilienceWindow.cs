namespace ReliableRpc.Silo.Dashboard;

/// <summary>
/// The pipeline's measurements of the last few seconds, per grain interface, in one-second buckets: rates and
/// percentiles over a sliding window. Fed by <see cref="ResilienceMeterWatch"/> from the very instruments the
/// Prometheus endpoint exports; it keeps no count of its own besides those.
/// </summary>
internal sealed class ResilienceWindow
{
    /// <summary>Samples kept per interface, second and kind for the percentiles; past it a second's samples are not kept (its counts are).</summary>
    internal const int MaxSamplesPerSecond = 5_000;

    private static readonly int CounterKinds = Enum.GetValues<ResilienceCounter>().Length;

    private readonly TimeProvider _time;
    private readonly int _seconds;
    private readonly long _start;
    private readonly Dictionary<string, Series> _services = new(StringComparer.Ordinal);
    private readonly Lock _servicesGate = new();
    private readonly Bucket[] _dedup;
    private readonly Lock _dedupGate = new();

    public ResilienceWindow(TimeSpan window, TimeProvider time)
    {
        _time = time;
        _seconds = Math.Max(1, (int)Math.Round(window.TotalSeconds));
        _start = time.GetTimestamp();
        _dedup = NewRing(_seconds);
    }

    /// <summary>The window's length.</summary>
    public TimeSpan Window => TimeSpan.FromSeconds(_seconds);

    /// <summary>A logical call this process started ended: its status, duration, and duration / deadline.</summary>
    public void EdgeCall(string service, string status, double seconds, double deadlineFraction) =>
        Of(service).Add(Second(), b =>
        {
            b.Increment(b.EdgeByStatus, status);
            b.Sample(b.EdgeLatency, seconds);
            b.Sample(b.EdgeFraction, deadlineFraction);
            if (deadlineFraction > 0)
            {
                b.MaxDeadline = Math.Max(b.MaxDeadline, seconds / deadlineFraction);
            }
        });

    /// <summary>A call this silo's grains served ended.</summary>
    public void Served(string service, string status, double seconds) =>
        Of(service).Add(Second(), b =>
        {
            b.Increment(b.ServedByStatus, status);
            b.Sample(b.ServedLatency, seconds);
        });

    /// <summary>A counter of the pipeline grew.</summary>
    public void Count(string service, ResilienceCounter counter, long value) =>
        Of(service).Add(Second(), b => b.Counters[(int)counter] += value);

    /// <summary>The number of calls this silo runs changed.</summary>
    public void Active(string service, long delta)
    {
        var series = Of(service);
        lock (series.Gate)
        {
            series.Active += delta;
        }
    }

    /// <summary>Keyed calls were answered from a stored outcome.</summary>
    public void DedupHit(long value)
    {
        lock (_dedupGate)
        {
            Slot(_dedup, Second()).Counters[0] += value;
        }
    }

    /// <summary>A circuit changed state: the page shows when.</summary>
    public void BreakerTransition(string service, string state)
    {
        var series = Of(service);
        lock (series.Gate)
        {
            series.LastTransition = (state, _time.GetUtcNow());
        }
    }

    /// <summary>Keyed calls answered from a stored outcome per second, over the window.</summary>
    public double DedupHitsPerSecond()
    {
        lock (_dedupGate)
        {
            var now = Second();
            return Live(_dedup, now).Sum(b => b.Counters[0]) / (double)_seconds;
        }
    }

    /// <summary>
    /// Every interface seen, over the window. <paramref name="breakerStates"/> is the breaker state gauge read now
    /// (0 closed, 1 half open, 2 open), which holds the current state even when no transition was seen.
    /// </summary>
    public IReadOnlyList<ServiceView> Services(IReadOnlyDictionary<string, int> breakerStates)
    {
        List<KeyValuePair<string, Series>> all;
        lock (_servicesGate)
        {
            all = [.. _services];
        }

        foreach (var name in breakerStates.Keys)
        {
            if (!all.Any(s => s.Key == name))
            {
                all.Add(new(name, Of(name)));
            }
        }

        var now = Second();
        return [.. all.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => View(s.Key, s.Value, now, breakerStates))];
    }

    private ServiceView View(string service, Series series, long now, IReadOnlyDictionary<string, int> breakerStates)
    {
        lock (series.Gate)
        {
            var live = Live(series.Ring, now).ToList();
            double Rate(ResilienceCounter c) => live.Sum(b => b.Counters[(int)c]) / (double)_seconds;
            var calls = live.Sum(b => b.Counters[(int)ResilienceCounter.Calls]);
            var attempts = live.Sum(b => b.Counters[(int)ResilienceCounter.Attempts]);
            var latency = Sorted(live.SelectMany(b => b.EdgeLatency));
            var fraction = Sorted(live.SelectMany(b => b.EdgeFraction));
            var served = Sorted(live.SelectMany(b => b.ServedLatency));
            var deadline = live.Select(b => b.MaxDeadline).DefaultIfEmpty(0).Max();
            var state = breakerStates.TryGetValue(service, out var s) ? StateName(s) : series.LastTransition?.State;
            return new ServiceView(
                service,
                RatesByStatus(live.SelectMany(b => b.EdgeByStatus)),
                Percentile(latency, 0.50),
                Percentile(latency, 0.99),
                deadline > 0 ? deadline : null,
                Percentile(fraction, 0.99),
                calls > 0 ? attempts / (double)calls : null,
                RatesByStatus(live.SelectMany(b => b.ServedByStatus)),
                Percentile(served, 0.50),
                Percentile(served, 0.99),
                series.Active,
                state,
                series.LastTransition?.At,
                Rate(ResilienceCounter.BreakerRejections),
                Rate(ResilienceCounter.Shed),
                Rate(ResilienceCounter.ArrivalDrops),
                Rate(ResilienceCounter.Retries),
                Rate(ResilienceCounter.BudgetRefusals));
        }
    }

    /// <summary>Calls running in this silo now, all interfaces.</summary>
    public long InFlight()
    {
        lock (_servicesGate)
        {
            return _services.Values.Sum(s => Volatile.Read(ref s.Active));
        }
    }

    /// <summary>The nearest-rank percentile of sorted samples; null without samples.</summary>
    internal static double? Percentile(IReadOnlyList<double> sorted, double quantile) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The circuit state names of <c>reliablerpc.breaker.state</c>'s values.</summary>
    internal static string StateName(int state) => state switch { 0 => "closed", 1 => "half_open", 2 => "open", _ => state.ToString() };

    private Dictionary<string, double> RatesByStatus(IEnumerable<KeyValuePair<string, long>> counts) =>
        counts.GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Value) / (double)_seconds, StringComparer.Ordinal);

    private static List<double> Sorted(IEnumerable<double> samples)
    {
        var list = samples.ToList();
        list.Sort();
        return list;
    }

    private long Second() => (long)Math.Floor(_time.GetElapsedTime(_start).TotalSeconds);

    private Series Of(string service)
    {
        lock (_servicesGate)
        {
            if (!_services.TryGetValue(service, out var series))
            {
                _services[service] = series = new Series(NewRing(_seconds));
            }

            return series;
        }
    }

    private static Bucket[] NewRing(int seconds) => [.. Enumerable.Range(0, seconds).Select(_ => new Bucket())];

    /// <summary>The ring's bucket for <paramref name="second"/>, emptied first when it still holds an older second.</summary>
    private static Bucket Slot(Bucket[] ring, long second)
    {
        var bucket = ring[second % ring.Length];
        if (bucket.Second != second)
        {
            bucket.Reset(second);
        }

        return bucket;
    }

    /// <summary>The buckets of the window that ends with the current second.</summary>
    private static IEnumerable<Bucket> Live(Bucket[] ring, long now) => ring.Where(b => b.Second > now - ring.Length && b.Second <= now);

    private sealed class Series(Bucket[] ring)
    {
        public readonly Lock Gate = new();
        public readonly Bucket[] Ring = ring;
        public long Active;
        public (string State, DateTimeOffset At)? LastTransition;

        public void Add(long second, Action<Bucket> update)
        {
            lock (Gate)
            {
                update(Slot(Ring, second));
            }
        }
    }

    private sealed class Bucket
    {
        public long Second = -1;
        public readonly long[] Counters = new long[CounterKinds];
        public readonly Dictionary<string, long> EdgeByStatus = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> ServedByStatus = new(StringComparer.Ordinal);
        public readonly List<double> EdgeLatency = [];
        public readonly List<double> EdgeFraction = [];
        public readonly List<double> ServedLatency = [];
        public double MaxDeadline;

        public void Increment(Dictionary<string, long> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

        public void Sample(List<double> samples, double value)
        {
            if (samples.Count < MaxSamplesPerSecond)
            {
                samples.Add(value);
            }
        }

        public void Reset(long second)
        {
            Second = second;
            Array.Clear(Counters);
            EdgeByStatus.Clear();
            ServedByStatus.Clear();
            EdgeLatency.Clear();
            EdgeFraction.Clear();
            ServedLatency.Clear();
            MaxDeadline = 0;
        }
    }
}
