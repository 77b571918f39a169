using System.Diagnostics;

namespace ReliableRpc.Telemetry.Internal;

/// <summary>
/// The pipeline's spans: one per logical call at the edge, one per attempt beneath it. Orleans' own activity
/// propagation makes the client and server spans beneath those and carries the trace across processes.
/// With no listener, <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null and nothing is recorded.
/// </summary>
internal static class ReliableRpcActivities
{
    public static readonly ActivitySource Source = new(ReliableRpcDiagnostics.Name);

    public const string AttemptTag = "reliablerpc.attempt";
    public const string BackoffTag = "reliablerpc.backoff_ms";
    public const string NotExecutedTag = "reliablerpc.not_executed";
    public const string RetryTag = "reliablerpc.retry";
    public const string DeadlineTag = "reliablerpc.deadline_ms";
    public const string IdempotentTag = "reliablerpc.safe_to_repeat";

    public static Activity? StartLogicalCall(string name, string service, string method, TimeSpan deadline, bool safeToRepeat)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Start(name, ActivityKind.Client, service, method);
        if (activity is { IsAllDataRequested: true })
        {
            // Only on a recorded span: a sampled-out one only carries the trace's context onward.
            activity.SetTag(DeadlineTag, (long)deadline.TotalMilliseconds);
            activity.SetTag(IdempotentTag, safeToRepeat);
        }

        return activity;
    }

    public static Activity? StartAttempt(string service, string method, int attempt, TimeSpan backoff)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Start($"{service}/{method} attempt {attempt}", ActivityKind.Internal, service, method);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(AttemptTag, attempt);
            activity.SetTag(BackoffTag, (long)backoff.TotalMilliseconds);
        }

        return activity;
    }

    /// <summary>A span with the RPC convention's attributes; null when nobody listens.</summary>
    private static Activity? Start(string name, ActivityKind kind, string service, string method)
    {
        var activity = Source.StartActivity(name, kind);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ReliableRpcDiagnostics.SystemTag, "orleans");
            activity.SetTag(ReliableRpcDiagnostics.ServiceTag, service);
            activity.SetTag(ReliableRpcDiagnostics.MethodTag, method);
        }

        return activity;
    }

    /// <summary>Records an outcome on a span: the status, NotExecuted, and the span's own status.</summary>
    public static void End(Activity? activity, RpcException? failure)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        activity.SetTag(ReliableRpcDiagnostics.StatusTag, failure?.Status.ToString() ?? nameof(RpcStatus.OK));
        if (failure is not null)
        {
            activity.SetTag(NotExecutedTag, failure.NotExecuted);
            activity.SetStatus(ActivityStatusCode.Error, failure.Detail);
        }
    }
}
