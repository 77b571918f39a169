using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using ReliableRpc.Retries.Internal;
using ReliableRpc.Shedding.Internal;

namespace ReliableRpc.Telemetry.Internal;

/// <summary>The pipeline's instruments. Recording into an instrument nobody listens to costs next to nothing.</summary>
internal static class ReliableRpcMeter
{
    public static readonly Meter Meter = new(ReliableRpcDiagnostics.Name);

    // Bucket bounds for RPCs, not OpenTelemetry's default milliseconds-shaped ones.
    public static readonly Histogram<double> CallDuration = Meter.CreateHistogram(ReliableRpcDiagnostics.CallDuration, "s", "Duration of logical calls at the edge.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    // Fine steps near 1: the alerts ask whether p99 passes 0.8 and p99.9 reaches 1.
    public static readonly Histogram<double> DeadlineFraction = Meter.CreateHistogram(ReliableRpcDiagnostics.CallDeadlineFraction, unit: null, "Logical call duration as a fraction of its deadline.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1, 1.5] });

    public static readonly Counter<long> Calls = Meter.CreateCounter<long>(ReliableRpcDiagnostics.Calls, description: "Logical calls started at an edge.");

    public static readonly Counter<long> Attempts = Meter.CreateCounter<long>(ReliableRpcDiagnostics.Attempts, description: "Attempts sent.");

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(ReliableRpcDiagnostics.Retries, description: "Retries, by reason.");

    public static readonly Counter<long> BudgetExhausted = Meter.CreateCounter<long>(ReliableRpcDiagnostics.BudgetExhausted, description: "Retries refused by the retry budget.");

    // Weak: a budget belongs to a host's services, and a test process builds many hosts.
    private static readonly ConditionalWeakTable<RetryBudget, object?> Budgets = new();

    public static readonly ObservableGauge<double> RetryBudgetTokens = Meter.CreateObservableGauge(ReliableRpcDiagnostics.RetryBudgetTokens,
        () => Budgets.Select(b => new Measurement<double>(b.Key.Tokens)), description: "Retries the retry budget allows now.");

    public static void TrackRetryBudget(RetryBudget budget) => Budgets.AddOrUpdate(budget, null);

    public static readonly Histogram<double> ServerCallDuration = Meter.CreateHistogram(ReliableRpcDiagnostics.ServerCallDuration, "s", "Duration of the calls a silo served.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    public static readonly UpDownCounter<long> ServerActiveCalls = Meter.CreateUpDownCounter<long>(ReliableRpcDiagnostics.ServerActiveCalls, description: "Calls a silo is running now.");

    public static readonly Counter<long> DeadlineExceeded = Meter.CreateCounter<long>(ReliableRpcDiagnostics.DeadlineExceeded, description: "Calls that ended past their deadline.");

    private static readonly ConcurrentDictionary<string, int> BreakerStates = new(StringComparer.Ordinal);

    public static readonly ObservableGauge<int> BreakerState = Meter.CreateObservableGauge(ReliableRpcDiagnostics.BreakerState,
        () => BreakerStates.Select(s => new Measurement<int>(s.Value, Service(s.Key))), description: "Circuit state: 0 closed, 1 half open, 2 open.");

    public static void SetBreakerState(string service, int state) => BreakerStates[service] = state;

    public static readonly Counter<long> BreakerTransitions = Meter.CreateCounter<long>(ReliableRpcDiagnostics.BreakerTransitions, description: "Circuit breaker transitions.");

    public static readonly Counter<long> BreakerRejections = Meter.CreateCounter<long>(ReliableRpcDiagnostics.BreakerRejections, description: "Calls rejected by an open circuit.");

    // Weak, as the budgets: one limiter per silo host.
    private static readonly ConditionalWeakTable<AdaptiveConcurrencyLimiter, object?> Limiters = new();

    public static readonly ObservableGauge<int> ConcurrencyLimit = Meter.CreateObservableGauge(ReliableRpcDiagnostics.ConcurrencyLimit,
        () => Limiters.Select(l => new Measurement<int>(l.Key.Limit)), description: "The silo's concurrency limit on client calls.");

    public static void TrackConcurrencyLimit(AdaptiveConcurrencyLimiter limiter) => Limiters.AddOrUpdate(limiter, null);

    public static readonly Counter<long> Shed = Meter.CreateCounter<long>(ReliableRpcDiagnostics.Shed, description: "Calls shed before dispatch.");

    public static readonly Counter<long> Oversize = Meter.CreateCounter<long>(ReliableRpcDiagnostics.Oversize, description: "Calls refused for their size.");

    public static readonly Counter<long> StorageGateTransitions = Meter.CreateCounter<long>(ReliableRpcDiagnostics.StorageGateTransitions, description: "Storage gate transitions, by state.");

    public static readonly Counter<long> StorageGateRefusals = Meter.CreateCounter<long>(ReliableRpcDiagnostics.StorageGateRefusals, description: "Writes refused by an open storage gate.");

    // Bounds around the default MaxRecords (100): the alert asks whether grains keep many times more.
    public static readonly Histogram<int> IdempotencyRecords = Meter.CreateHistogram(ReliableRpcDiagnostics.IdempotencyRecords, "{record}", "Idempotency records a grain's state carries after a keyed write.",
        tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [10, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000] });

    public static readonly Counter<long> IdempotencyRefusals = Meter.CreateCounter<long>(ReliableRpcDiagnostics.IdempotencyRefusals, description: "New keys refused because a grain's state holds Idempotency:RecordLimit records.");

    public static readonly Counter<long> DedupHits = Meter.CreateCounter<long>(ReliableRpcDiagnostics.DedupHits, description: "Keyed calls answered from a stored outcome.");

    public static KeyValuePair<string, object?> Service(string name) => new(ReliableRpcDiagnostics.ServiceTag, name);

    public static TagList Method(string service, string method) => new() { { ReliableRpcDiagnostics.ServiceTag, service }, { ReliableRpcDiagnostics.MethodTag, method } };

    public static TagList Outcome(string service, string method, string status) => new()
    {
        { ReliableRpcDiagnostics.ServiceTag, service }, { ReliableRpcDiagnostics.MethodTag, method }, { ReliableRpcDiagnostics.StatusTag, status },
    };

    public static TagList ServiceAnd(string service, string key, string value) => new() { { ReliableRpcDiagnostics.ServiceTag, service }, { key, value } };
}
