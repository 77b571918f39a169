using System.Collections.Concurrent;
using System.Diagnostics;
using ReliableRpc.Client.Load;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>Load made of several kinds of call, taken in turn, with figures per kind and in all.</summary>
internal sealed class MixedLoad(params (string Name, Func<long, CancellationToken, Task> Call)[] kinds)
{
    private readonly LoadStats[] _stats = kinds.Select(_ => new LoadStats()).ToArray();
    private readonly ConcurrentQueue<Completion> _completions = new();

    /// <summary>One call's end: its kind, when it started (a <see cref="Stopwatch"/> timestamp), how long it took, and whether it succeeded.</summary>
    public readonly record struct Completion(string Kind, long Started, TimeSpan Duration, bool Succeeded)
    {
        /// <summary>When it ended, as a <see cref="Stopwatch"/> timestamp.</summary>
        public long Ended => Started + (long)(Duration.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Every call that has ended, in the order they ended.</summary>
    public IReadOnlyCollection<Completion> Completions => _completions;

    /// <summary>Every call, whatever its kind.</summary>
    public LoadStats Total { get; } = new();

    /// <summary>The figures of the kind named <paramref name="name"/>.</summary>
    public LoadStats Of(string name) => _stats[Array.FindIndex(kinds, k => k.Name == name)];

    /// <summary>Runs until <paramref name="stop"/> fires (or the options' duration ends); calls are never cancelled.</summary>
    public Task RunAsync(LoadOptions options, CancellationToken stop) => LoadRunner.RunAsync(options, async (n, ct) =>
    {
        var kind = (int)(n % kinds.Length);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await kinds[kind].Call(n, ct);
            _stats[kind].RecordSuccess(Stopwatch.GetElapsedTime(started));
            _completions.Enqueue(new Completion(kinds[kind].Name, started, Stopwatch.GetElapsedTime(started), Succeeded: true));
        }
        catch (Exception failure)
        {
            _stats[kind].RecordFailure(Stopwatch.GetElapsedTime(started), failure);
            _completions.Enqueue(new Completion(kinds[kind].Name, started, Stopwatch.GetElapsedTime(started), Succeeded: false));
            throw;
        }
    }, Total, progress: null, stop);

    /// <summary>Writes the figures: in all, then per kind with its failures by status.</summary>
    public void Report(ITestOutputHelper output)
    {
        output.WriteLine($"{Total.Calls} calls, {Total.Failed} failed; p50 {Total.Percentile(50).TotalMilliseconds:0} ms, p99 {Total.Percentile(99).TotalMilliseconds:0} ms, p99.9 {Total.Percentile(99.9).TotalMilliseconds:0} ms, longest call {Total.Max.TotalMilliseconds:0} ms, longest stall {Total.LongestStall.TotalMilliseconds:0} ms");
        for (var i = 0; i < kinds.Length; i++)
        {
            output.WriteLine($"  {kinds[i].Name}: {_stats[i].Calls} calls, longest {_stats[i].Max.TotalMilliseconds:0} ms, {_stats[i].Failed} failed {string.Join(", ", _stats[i].FailuresByKind.Select(f => $"{f.Value} {f.Key}"))}");
            foreach (var (kind, sample) in _stats[i].FailureSamples)
            {
                output.WriteLine($"    first {kind}: {sample}");
            }
        }
    }
}
