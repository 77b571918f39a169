namespace ReliableRpc;

/// <summary>
/// The names of the pipeline's telemetry. They are public API: dashboards and alert rules depend on them,
/// so they do not change without a major version.
/// </summary>
public static class ReliableRpcDiagnostics
{
    /// <summary>The name of the Meter (and of the ActivitySource).</summary>
    public const string Name = "ReliableRpc";

    /// <summary>Histogram (seconds): duration of logical calls at the edge, tagged <c>rpc.service</c>, <c>rpc.method</c>, <c>rpc.status</c>.</summary>
    public const string CallDuration = "reliablerpc.call.duration";

    /// <summary>
    /// Histogram (ratio): a logical call's duration divided by its deadline, tagged like <see cref="CallDuration"/>.
    /// One alert on its p99 covers every method, whatever its deadline.
    /// </summary>
    public const string CallDeadlineFraction = "reliablerpc.call.deadline_fraction";

    /// <summary>Counter: logical calls started at an edge, tagged <c>rpc.service</c>, <c>rpc.method</c>.</summary>
    public const string Calls = "reliablerpc.calls";

    /// <summary>Counter: attempts sent (first attempts and retries); attempts / calls is the retry amplification.</summary>
    public const string Attempts = "reliablerpc.attempts";

    /// <summary>Counter: retries, tagged <c>rpc.service</c> and <c>reason</c> (transparent, counted).</summary>
    public const string Retries = "reliablerpc.retries";

    /// <summary>Counter: retries refused because the retry budget was spent, tagged <c>rpc.service</c>.</summary>
    public const string BudgetExhausted = "reliablerpc.retry_budget.exhausted";

    /// <summary>
    /// Gauge: retries the retry budget would allow now (saved-up retries plus the per-second floor), one budget per
    /// process. 0 means the next retry is refused.
    /// </summary>
    public const string RetryBudgetTokens = "reliablerpc.retry_budget.tokens";

    /// <summary>Counter: calls that ended with DeadlineExceeded, tagged <c>rpc.service</c> and <c>side</c> (caller, arrival).</summary>
    public const string DeadlineExceeded = "reliablerpc.deadline.exceeded";

    /// <summary>Gauge: each circuit's state, tagged <c>rpc.service</c>: 0 closed, 1 half open, 2 open.</summary>
    public const string BreakerState = "reliablerpc.breaker.state";

    /// <summary>Counter: circuit breaker transitions, tagged <c>rpc.service</c> and <c>state</c> (open, half_open, closed).</summary>
    public const string BreakerTransitions = "reliablerpc.breaker.transitions";

    /// <summary>Counter: calls rejected because a circuit was open, tagged <c>rpc.service</c>.</summary>
    public const string BreakerRejections = "reliablerpc.breaker.rejections";

    /// <summary>Counter: calls shed by a silo before dispatch, tagged <c>rpc.service</c>.</summary>
    public const string Shed = "reliablerpc.shed";

    /// <summary>
    /// Gauge: the silo's concurrency limit on client calls now (adaptive, see <c>SheddingOptions.Adaptive</c>), one per
    /// silo.
    /// </summary>
    public const string ConcurrencyLimit = "reliablerpc.shedding.concurrency_limit";

    /// <summary>Counter: calls refused because a request or response was over the size limit, tagged <c>direction</c>.</summary>
    public const string Oversize = "reliablerpc.oversize";

    /// <summary>Counter: storage gate transitions, by state (open, closed).</summary>
    public const string StorageGateTransitions = "reliablerpc.storage_gate.transitions";

    /// <summary>Counter: writes refused by an open storage gate, by when (before_effect, after_effect).</summary>
    public const string StorageGateRefusals = "reliablerpc.storage_gate.refusals";

    /// <summary>
    /// Histogram (seconds): duration of the calls a silo served (incoming, from clients and other grains), tagged
    /// <c>rpc.service</c>, <c>rpc.method</c>, <c>rpc.status</c>. Calls shed or expired on arrival are not in it: they
    /// have counters of their own.
    /// </summary>
    public const string ServerCallDuration = "reliablerpc.server.call.duration";

    /// <summary>UpDownCounter: calls a silo is running now (incoming, in its grains), tagged <c>rpc.service</c>.</summary>
    public const string ServerActiveCalls = "reliablerpc.server.active_calls";

    /// <summary>Counter: keyed calls answered from a stored outcome instead of running again.</summary>
    public const string DedupHits = "reliablerpc.dedup.hits";

    /// <summary>
    /// Histogram: idempotency records a grain's state carries after each keyed write, tagged <c>grain_type</c>. Every
    /// write carries them all, and a grain keeps every record younger than <c>Deadlines:MaxDeadline</c> whatever
    /// <c>Idempotency:MaxRecords</c> says, so a grain taking many keyed calls a second grows with its rate.
    /// </summary>
    public const string IdempotencyRecords = "reliablerpc.idempotency.records";

    /// <summary>Counter: new keys refused (ResourceExhausted) because a grain's state holds <c>Idempotency:RecordLimit</c> records, tagged <c>grain_type</c>.</summary>
    public const string IdempotencyRefusals = "reliablerpc.idempotency.refusals";

    /// <summary>
    /// Gauge (seconds): time left until a TLS certificate of this process expires, tagged <c>certificate</c> (leaf, ca)
    /// and <c>subject</c>. Negative once expired.
    /// </summary>
    public const string TlsCertificateExpiry = "reliablerpc.tls.certificate.expiry";

    /// <summary>Tag: which certificate, <c>leaf</c> (this process's own) or <c>ca</c> (a trusted authority).</summary>
    public const string CertificateTag = "certificate";

    /// <summary>Tag: a certificate's subject.</summary>
    public const string SubjectTag = "subject";

    /// <summary>Tag: the grain interface (OpenTelemetry RPC conventions).</summary>
    public const string ServiceTag = "rpc.service";

    /// <summary>Tag: the method.</summary>
    public const string MethodTag = "rpc.method";

    /// <summary>Tag: "orleans".</summary>
    public const string SystemTag = "rpc.system";

    /// <summary>Tag: the call's outcome, an <see cref="RpcStatus"/> name (OK on success).</summary>
    public const string StatusTag = "rpc.status";
}
