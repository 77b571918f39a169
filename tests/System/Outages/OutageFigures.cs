using System.Diagnostics;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Outages;

/// <summary>
/// What a dependency outage did to a client's load, from its calls' ends (issue 26's measures): the longest time
/// with no call succeeding around the outage, how many of the writes sent during it waited 5 s or more, and how long
/// after the dependency answered again goodput was back to 90 % of what it was before.
/// </summary>
internal sealed record OutageFigures(TimeSpan LongestStall, int WritesSent, int WritesWaited5s, double GoodputBefore, TimeSpan? Recovery)
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>The share of the writes sent during the outage that waited 5 s or more.</summary>
    public double SlowWriteShare => WritesSent == 0 ? 0 : (double)WritesWaited5s / WritesSent;

    /// <param name="load">The load, still running or stopped well after <paramref name="answering"/>.</param>
    /// <param name="writes">The kinds of call that write.</param>
    /// <param name="outageStart">When the outage began (a <see cref="Stopwatch"/> timestamp).</param>
    /// <param name="answering">When the dependency answered again.</param>
    public static OutageFigures Of(MixedLoad load, string[] writes, long outageStart, long answering)
    {
        var calls = load.Completions.ToArray();
        var sent = calls.Where(c => writes.Contains(c.Kind) && c.Started >= outageStart && c.Started <= answering).ToArray();

        // The longest gap between successes, from 1 s before the outage to 15 s after it.
        var from = outageStart - Ticks(Window);
        var to = answering + Ticks(TimeSpan.FromSeconds(15));
        var successes = calls.Where(c => c.Succeeded && c.Ended >= from && c.Ended <= to).Select(c => c.Ended).Order().Prepend(from).Append(to).ToArray();
        var stall = successes.Zip(successes.Skip(1), (a, b) => b - a).Max();

        // Goodput before: successes per second over the 5 s before the outage. After: the first 1-s window, sliding by
        // 100 ms from the moment the dependency answered, with 90 % of it; recovery is that window's end.
        var before = calls.Count(c => c.Succeeded && c.Ended >= outageStart - Ticks(TimeSpan.FromSeconds(5)) && c.Ended < outageStart) / 5.0;
        TimeSpan? recovery = null;
        for (var start = answering; start + Ticks(Window) <= to; start += Ticks(TimeSpan.FromMilliseconds(100)))
        {
            var end = start + Ticks(Window);
            if (calls.Count(c => c.Succeeded && c.Ended >= start && c.Ended < end) >= 0.9 * before)
            {
                recovery = Stopwatch.GetElapsedTime(answering, end);
                break;
            }
        }

        return new OutageFigures(Stopwatch.GetElapsedTime(0, stall), sent.Length, sent.Count(c => c.Duration >= Slow), before, recovery);
    }

    public void Report(ITestOutputHelper output) => output.WriteLine(
        $"longest stall around the outage {LongestStall.TotalMilliseconds:0} ms (target ≤ 3,000); writes sent during it {WritesSent}, " +
        $"waited ≥ 5 s {WritesWaited5s} ({SlowWriteShare:P1}; target ≤ 1 %); goodput before {GoodputBefore:0}/s, back to 90 % " +
        $"{(Recovery is { } r ? $"{r.TotalMilliseconds:0} ms" : "never")} after the dependency answered (target ≤ 5,000 ms)");

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
