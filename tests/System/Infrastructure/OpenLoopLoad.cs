using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>
/// Open-loop load: calls start at a fixed rate whatever the latency, as requests from many independent users do. A
/// closed-loop generator (a cap on calls in flight) slows down with the system and can never produce a retry storm.
/// Records, per second of the run, the logical calls started, succeeded and failed (by when they ended), the attempts
/// the pipeline sent for the calls that ended (<c>reliablerpc.attempts</c>, in this process), and each success's
/// latency.
/// </summary>
internal sealed class OpenLoopLoad : IDisposable
{
    /// <summary>Calls in flight past which no new one starts: a bound on memory should a run go badly, not a throttle.</summary>
    private const int MaxInFlight = 50_000;

    private readonly ConcurrentDictionary<int, Second> _seconds = new();
    private readonly ConcurrentQueue<(int Second, double Milliseconds)> _successes = new();
    private readonly MeterListener _attempts = new();
    private readonly Stopwatch _clock = new();
    private long _inFlight;

    public OpenLoopLoad()
    {
        _attempts.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ReliableRpcDiagnostics.Name && instrument.Name == ReliableRpcDiagnostics.Attempts)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _attempts.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            if (_clock.IsRunning)
            {
                Interlocked.Add(ref At(Now).Attempts, value);
            }
        });
        _attempts.Start();
    }

    /// <summary>What happened in one second of the run.</summary>
    internal sealed class Second
    {
        public long Started;
        public long Succeeded;
        public long Failed;
        public long Attempts;
    }

    /// <summary>The run's seconds so far, from 0.</summary>
    public IReadOnlyList<Second> Seconds => Enumerable.Range(0, _seconds.Keys.DefaultIfEmpty(-1).Max() + 1).Select(At).ToList();

    /// <summary>Calls started and not ended.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    private int Now => (int)_clock.Elapsed.TotalSeconds;

    private Second At(int second) => _seconds.GetOrAdd(second, _ => new Second());

    /// <summary>
    /// Starts <paramref name="call"/> at <paramref name="rate"/> calls a second (given the seconds since the start)
    /// until <paramref name="duration"/> has passed; then waits up to <paramref name="drain"/> for the calls in flight.
    /// </summary>
    public async Task RunAsync(Func<Task> call, Func<double, double> rate, TimeSpan duration, TimeSpan drain)
    {
        _clock.Start();
        double due = 0;
        var last = TimeSpan.Zero;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (_clock.Elapsed < duration && await tick.WaitForNextTickAsync())
        {
            var now = _clock.Elapsed;
            due += rate(now.TotalSeconds) * (now - last).TotalSeconds;
            last = now;
            for (; due >= 1; due--)
            {
                if (InFlight < MaxInFlight)
                {
                    _ = RunOneAsync(call);
                }
            }
        }

        var until = Stopwatch.GetTimestamp() + (long)(drain.TotalSeconds * Stopwatch.Frequency);
        while (InFlight > 0 && Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(100);
        }
    }

    private async Task RunOneAsync(Func<Task> call)
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref At(Now).Started);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await call();
            var ended = At(Now);
            Interlocked.Increment(ref ended.Succeeded);
            _successes.Enqueue((Now, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        }
        catch (Exception)
        {
            Interlocked.Increment(ref At(Now).Failed);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Successes per second, averaged over seconds [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public double Goodput(int from, int to) => Seconds.Skip(from).Take(to - from).Average(s => (double)s.Succeeded);

    /// <summary>Attempts per logical call that ended in seconds [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public double Amplification(int from, int to)
    {
        var window = Seconds.Skip(from).Take(to - from).ToList();
        var calls = window.Sum(s => s.Succeeded + s.Failed);
        return calls == 0 ? double.NaN : (double)window.Sum(s => s.Attempts) / calls;
    }

    /// <summary>The <paramref name="percentile"/>th latency of the successes that ended in seconds [<paramref name="from"/>, <paramref name="to"/>), in ms.</summary>
    public double Latency(double percentile, int from, int to)
    {
        var window = _successes.Where(s => s.Second >= from && s.Second < to).Select(s => s.Milliseconds).Order().ToList();
        return window.Count == 0 ? double.NaN : window[(int)Math.Min(window.Count - 1, Math.Ceiling(percentile / 100 * window.Count) - 1)];
    }

    public void Dispose() => _attempts.Dispose();
}
