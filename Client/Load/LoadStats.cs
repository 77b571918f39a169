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
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private readonly ConcurrentDictionary<string, string> _failureSamples = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastSuccessTicks;
    private long _longestStallTicks;
    private long _succeeded;
    private long _failed;

    /// <summary>Calls that returned.</summary>
    public long Succeeded => Interlocked.Read(ref _succeeded);

    /// <summary>Calls that threw.</summary>
    public long Failed => Interlocked.Read(ref _failed);

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
