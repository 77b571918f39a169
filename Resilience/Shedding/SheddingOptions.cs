namespace ReliableRpc;

/// <summary>
/// Overload shedding on silos: a limit on concurrent calls that arrive from clients. Beyond it, calls are refused
/// before dispatch with ResourceExhausted + RetryAfter + NotExecuted, and the client waits before retrying.
/// Calls between grains (work in progress), timer ticks and Orleans' own traffic are never shed.
/// </summary>
/// <remarks>
/// With <see cref="Adaptive"/> (off by default: see why there) the limit follows measured latency: it shrinks when the
/// median time the silo takes to serve a client call rises above its minimum by more than
/// <see cref="LatencyTolerance"/> (and 5 ms), and grows back while it does not, between <see cref="MinConcurrentClientCalls"/> and <see cref="MaxConcurrentClientCalls"/>
/// (the start). Envoy's adaptive concurrency filter is the model.
/// Time spent in grain storage behind the storage gate is not counted: slow storage is the gate's to handle, and
/// shedding reads because writes wait would refuse work the silo can do.
/// </remarks>
public sealed class SheddingOptions
{
    /// <summary>The default of <see cref="MaxConcurrentClientCalls"/>.</summary>
    public const int DefaultMaxConcurrentClientCalls = 1_000;

    /// <summary>The default of <see cref="MinConcurrentClientCalls"/>.</summary>
    public const int DefaultMinConcurrentClientCalls = 10;

    /// <summary>The default of <see cref="LatencyTolerance"/>.</summary>
    public const double DefaultLatencyTolerance = 0.5;

    /// <summary>The default of <see cref="MaxQueuedPerActivation"/>.</summary>
    public const int DefaultMaxQueuedPerActivation = 5_000;

    /// <summary>The default of <see cref="RetryAfter"/>.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromMilliseconds(200);

    /// <summary>The default of <see cref="UpdateInterval"/>.</summary>
    public static readonly TimeSpan DefaultUpdateInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The default of <see cref="MinLatencyWindow"/>.</summary>
    public static readonly TimeSpan DefaultMinLatencyWindow = TimeSpan.FromSeconds(30);

    /// <summary>Turns shedding on. The default value is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Adapts the limit to measured latency (see the class remarks); false keeps it fixed at
    /// <see cref="MaxConcurrentClientCalls"/>. The default value is false: one limit per silo compares every client
    /// call with one minimum, and a mix that changes (the demo: fast account openings, then transfers whose time is
    /// mostly their calls to other grains) reads as queueing and sheds calls the silo could serve
    /// (docs/decisions/0004). Turn it on for silos that serve a uniform kind of call.
    /// </summary>
    public bool Adaptive { get; set; }

    /// <summary>
    /// The most client calls one silo runs at once: the adaptive limit's ceiling and its start, or the fixed limit.
    /// The default value is 1,000.
    /// </summary>
    public int MaxConcurrentClientCalls { get; set; } = DefaultMaxConcurrentClientCalls;

    /// <summary>
    /// The adaptive limit's floor (at most <see cref="MaxConcurrentClientCalls"/>), and the limit while the minimum
    /// service time is measured (see <see cref="MinLatencyWindow"/>): set it at or below the calls the silo can truly
    /// serve at once, or the measured minimum includes a queue. The default value is 10.
    /// </summary>
    public int MinConcurrentClientCalls { get; set; } = DefaultMinConcurrentClientCalls;

    /// <summary>
    /// How far the median service time may rise above its minimum, as a fraction, before the limit shrinks: 0.5 lets it
    /// reach 1.5 times the minimum. Larger values allow more queueing; smaller ones shed on noise. The default value
    /// is 0.5.
    /// </summary>
    public double LatencyTolerance { get; set; } = DefaultLatencyTolerance;

    /// <summary>
    /// How often the adaptive limit is recomputed, given at least 32 calls served since the last time. The default
    /// value is 100 ms.
    /// </summary>
    public TimeSpan UpdateInterval { get; set; } = DefaultUpdateInterval;

    /// <summary>
    /// How long a minimum service time is trusted while calls are being refused. An overloaded silo never sees its
    /// unloaded latency, so after this the next refusal starts a probe: the limit drops to
    /// <see cref="MinConcurrentClientCalls"/>, and once no more calls than that are running, the median of the next 32
    /// admitted is the new minimum (a probe lasts at most 5 s). A limit already at its floor probes again after 5 s. A
    /// silo that refuses nothing never probes. The default value is 30 s.
    /// </summary>
    public TimeSpan MinLatencyWindow { get; set; } = DefaultMinLatencyWindow;

    /// <summary>The pushback sent with a refusal. The default value is 200 ms.</summary>
    public TimeSpan RetryAfter { get; set; } = DefaultRetryAfter;

    /// <summary>
    /// Orleans' per-activation queue limit (<c>SiloMessagingOptions.MaxEnqueuedRequestsHardLimit</c>, off by default
    /// in Orleans): an activation with more requests running and waiting refuses new ones, which callers see as
    /// ResourceExhausted + NotExecuted. 0 leaves Orleans' setting alone. The default value is 5,000.
    /// </summary>
    public int MaxQueuedPerActivation { get; set; } = DefaultMaxQueuedPerActivation;
}
