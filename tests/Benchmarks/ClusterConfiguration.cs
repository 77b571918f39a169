namespace ReliableRpc.Benchmarks;

/// <summary>What each measured call does.</summary>
internal enum Workload
{
    /// <summary>An almost empty, unkeyed method: the pipeline's cost stands out.</summary>
    Empty,

    /// <summary>A keyed addition on a persisted counter (memory storage): the idempotency key travels and is de-duplicated.</summary>
    Keyed,
}

/// <summary>One configuration of the pipeline to measure against bare Orleans on the same workload.</summary>
/// <param name="Name">Short name for the table.</param>
/// <param name="Configure">Adds (or not) the pipeline; null = bare Orleans.</param>
/// <param name="Workload">The calls made.</param>
/// <param name="Tracing">Spans sampled (10 %) and handed to an exporter.</param>
/// <param name="Tls">Mutual TLS on the client↔gateway link (dev certificates made for the run).</param>
internal sealed record ClusterConfiguration(string Name, Action<ReliableRpcOptions>? Configure, Workload Workload = Workload.Empty, bool Tracing = false, bool Tls = false)
{
    /// <summary>A second configuration this one's throughput is also a ratio to, when a target is stated against it.</summary>
    public ClusterConfiguration? AlsoComparedTo { get; init; }

    public static readonly ClusterConfiguration Bare = new("bare", null);
    public static readonly ClusterConfiguration ReferencedOff = new("library, disabled", o => o.Enabled = false);
    public static readonly ClusterConfiguration Deadlines = new("deadlines only", o =>
    {
        o.Retries.Enabled = false;
        o.CircuitBreaker.Enabled = false;
        o.Shedding.Enabled = false;
        o.MessageSize.Enabled = false;
    });

    public static readonly ClusterConfiguration Full = new("full pipeline (defaults)", _ => { });
    // The tracing target is stated against the untraced pipeline, so the table gives that ratio too.
    public static readonly ClusterConfiguration FullTraced = new("full + tracing", _ => { }, Tracing: true) { AlsoComparedTo = Full };

    // Orleans' own trace propagation with no pipeline: what tracing costs before the pipeline adds its spans.
    public static readonly ClusterConfiguration BareTraced = new("bare + tracing (Orleans' propagation only)", null, Tracing: true);
    // The keyed grain needs the library's IdempotencyGuard, so its baseline is the library with no filter at all.
    public static readonly ClusterConfiguration BareKeyed = new("keyed workload, library disabled", o => o.Enabled = false, Workload.Keyed);
    public static readonly ClusterConfiguration FullKeyed = new("full, key on the wire", _ => { }, Workload.Keyed);

    public static readonly ClusterConfiguration FullTls = new("full + mutual TLS", _ => { }, Tls: true);

    public static IReadOnlyList<ClusterConfiguration> All => [Bare, ReferencedOff, Deadlines, Full, BareTraced, FullTraced, FullTls, BareKeyed, FullKeyed];

    /// <summary>The configuration this one's throughput is a ratio to.</summary>
    public ClusterConfiguration Baseline => Workload == Workload.Keyed ? BareKeyed : Bare;
}
