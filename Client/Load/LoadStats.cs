using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;
using ReliableRpc.Client.Output;

namespace ReliableRpc.Client.Load;

/// <summary>What a load run measured; safe to record into from many calls at once.</summary>
internal sealed class LoadStats
{
    private readonly object _gate = new();
    private readonly LongHistogram _latencyMicros = new(1, 10L * 60 * 1_000_000, 3);
    private readonly LongHistogram _intervalMicros = new(1, 10L * 60 * 1_000_000, 3);
    private long _intervalFailed;
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private readonly ConcurrentDictionary<string, string> _failureSamples = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastSuccessTicks;
    private long _longestStallTicks;
    private long _started;
    private long _succeeded;
    private long _failed;

    /// <summary>Calls that returned.</summary>
    public long Succeeded => Interlocked.Read(ref _succeeded);

    /// <summary>Calls that threw.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Calls started and not ended yet.</summary>
    public long InFlight => Interlocked.Read(ref _started) - Calls;

    /// <summary>Records that a call starts (for <see cref="InFlight"/>).</summary>
    public void RecordStart() => Interlocked.Increment(ref _started);

    /// <summary>All calls that ended.</summary>
    public long Calls => Succeeded + Failed;

    /// <summary>Time since the run started, until <see cref="Complete"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Ends the run: the clock stops, so the stall at the end does not grow while the results are read.</summary>
    public void Complete() => _clock.Stop();

    /// <summary>Failures by <see cref="FailureDescription.Kind"/>.</summary>
    public IReadOnlyDictionary<string, int> FailuresByKind => _failures;

    /// <summary>One message per failure kind, for the report.</summary>
    public IReadOnlyDictionary<string, string> FailureSamples => _failureSamples;

    /// <summary>The longest time with no call succeeding, including the start and the end of the run.</summary>
    public TimeSpan LongestStall
    {
        get
        {
            lock (_gate)
            {
                var tail = _clock.Elapsed.Ticks - _lastSuccessTicks;
                return TimeSpan.FromTicks(Math.Max(_longestStallTicks, tail));
            }
        }
    }

    /// <summary>Records a call that returned after <paramref name="latency"/>.</summary>
    public void RecordSuccess(TimeSpan latency)
    {
        Interlocked.Increment(ref _succeeded);
        lock (_gate)
        {
            _latencyMicros.RecordValue(Math.Max(1, (long)latency.TotalMicroseconds));
            _intervalMicros.RecordValue(Math.Max(1, (long)latency.TotalMicroseconds));
            var now = _clock.Elapsed.Ticks;
            _longestStallTicks = Math.Max(_longestStallTicks, now - _lastSuccessTicks);
            _lastSuccessTicks = now;
        }
    }

    /// <summary>Records a call that failed after <paramref name="latency"/>.</summary>
    public void RecordFailure(TimeSpan latency, Exception exception)
    {
        Interlocked.Increment(ref _failed);
        var kind = FailureDescription.Kind(exception);
        _failures.AddOrUpdate(kind, 1, (_, n) => n + 1);
        _failureSamples.TryAdd(kind, FailureDescription.Line(exception));
        lock (_gate)
        {
            _latencyMicros.RecordValue(Math.Max(1, (long)latency.TotalMicroseconds));
            _intervalMicros.RecordValue(Math.Max(1, (long)latency.TotalMicroseconds));
            _intervalFailed++;
        }
    }

    /// <summary>
    /// The calls that ended since the previous call of this method (or the start), with their latency percentiles;
    /// for a live view that shows the last second rather than the whole run.
    /// </summary>
    public LoadInterval TakeInterval()
    {
        lock (_gate)
        {
            var interval = _intervalMicros.TotalCount == 0
                ? new LoadInterval(0, 0, TimeSpan.Zero, TimeSpan.Zero)
                : new LoadInterval(
                    _intervalMicros.TotalCount,
                    _intervalFailed,
                    TimeSpan.FromMicroseconds(_intervalMicros.GetValueAtPercentile(50)),
                    TimeSpan.FromMicroseconds(_intervalMicros.GetValueAtPercentile(99)));
            _intervalMicros.Reset();
            _intervalFailed = 0;
            return interval;
        }
    }

    /// <summary>The latency (of every ended call) at <paramref name="percentile"/> (0–100).</summary>
    public TimeSpan Percentile(double percentile)
    {
        lock (_gate)
        {
            return _latencyMicros.TotalCount == 0
                ? TimeSpan.Zero
                : TimeSpan.FromMicroseconds(_latencyMicros.GetValueAtPercentile(percentile));
        }
    }

    /// <summary>The longest call.</summary>
    public TimeSpan Max
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromMicroseconds(_latencyMicros.GetMaxValue());
            }
        }
    }
}
