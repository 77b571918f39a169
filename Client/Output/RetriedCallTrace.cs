using System.Collections.Concurrent;
using System.Diagnostics;
using Spectre.Console;

namespace ReliableRpc.Client.Output;

/// <summary>
/// Watches this client's own spans and metrics during a run, to show at the end one logical call that was
/// retried — its attempts as a tree — and the retry figures. Keeps only what it may print.
/// </summary>
internal sealed class RetriedCallTrace : IDisposable
{
    private const int MaxAttemptsKept = 10_000;
    private readonly ActivityListener _spans = new();
    private readonly PipelineMeterWatch _meters = new();
    private readonly ConcurrentDictionary<ActivitySpanId, ConcurrentQueue<Activity>> _attempts = new();
    private Activity? _retried;

    public RetriedCallTrace()
    {
        _spans.ShouldListenTo = source => source.Name == ReliableRpcDiagnostics.Name;
        _spans.Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded;
        _spans.ActivityStopped = Stopped;
        ActivitySource.AddActivityListener(_spans);

    }

    private void Stopped(Activity activity)
    {
        if (activity.Kind == ActivityKind.Internal && _retried is null && _attempts.Count < MaxAttemptsKept)
        {
            _attempts.GetOrAdd(activity.ParentSpanId, _ => new()).Enqueue(activity);
        }
        else if (activity.Kind == ActivityKind.Client && activity.Events.Any(e => e.Name == "retry"))
        {
            Interlocked.CompareExchange(ref _retried, activity, null);
        }
        else if (activity.Kind == ActivityKind.Client)
        {
            _attempts.TryRemove(activity.SpanId, out _);
        }
    }

    /// <summary>Prints the retried call's tree (or says none was retried) and the retry figures.</summary>
    public void Print()
    {
        var calls = _meters.Count(ReliableRpcDiagnostics.Calls);
        var attempts = _meters.Count(ReliableRpcDiagnostics.Attempts);
        AnsiConsole.MarkupLineInterpolated(
            $"retry amplification {(calls == 0 ? 0 : (double)attempts / calls):0.0000} ({attempts:N0} attempts / {calls:N0} calls); retries: {_meters.Count(ReliableRpcDiagnostics.Retries, "transparent"):N0} transparent, {_meters.Count(ReliableRpcDiagnostics.Retries, "counted"):N0} counted; budget refusals {_meters.Count(ReliableRpcDiagnostics.BudgetExhausted):N0}; circuit rejections {_meters.Count(ReliableRpcDiagnostics.BreakerRejections):N0}");
        if (_retried is not { } call)
        {
            AnsiConsole.MarkupLine("no call needed a retry in this run");
            return;
        }

        var tree = new Tree(Markup.Escape($"{call.DisplayName}  {call.GetTagItem(ReliableRpcDiagnostics.StatusTag)}  {call.Duration.TotalMilliseconds:0.0} ms  trace {call.TraceId}"));
        foreach (var attempt in (_attempts.GetValueOrDefault(call.SpanId) ?? new()).OrderBy(a => a.StartTimeUtc))
        {
            var notExecuted = attempt.GetTagItem("reliablerpc.not_executed") is true ? ", not executed" : "";
            tree.AddNode(Markup.Escape(
                $"attempt {attempt.GetTagItem("reliablerpc.attempt")}: waited {attempt.GetTagItem("reliablerpc.backoff_ms")} ms, {attempt.GetTagItem(ReliableRpcDiagnostics.StatusTag)}{notExecuted}, {attempt.Duration.TotalMilliseconds:0.0} ms"));
        }

        AnsiConsole.MarkupLine("one retried call, as traced:");
        AnsiConsole.Write(tree);
    }

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
    }
}
