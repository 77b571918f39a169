using Orleans;

namespace ReliableRpc;

/// <summary>
/// A failure the pipeline produced, or a grain chose to throw with a status: a <see cref="RpcStatus"/>, a human
/// <see cref="Detail"/>, optional server pushback, and whether the call certainly did not run.
/// </summary>
/// <remarks>
/// The pipeline throws it for its own refusals (circuit open, shed, size, retry budget, a bad idempotency key) and for
/// the caller's own transport failures once retries are spent (the Orleans exception is the inner one). It never
/// replaces an exception a grain threw, which reaches the caller as thrown; a deadline is an
/// <see cref="RpcDeadlineExceededException"/> and a caller's own cancellation an <see cref="OperationCanceledException"/>.
/// <c>RpcStatus.Of(exception)</c> reads the status of any of them.
/// </remarks>
[GenerateSerializer]
[Alias("ReliableRpc.RpcException")]
public sealed class RpcException : Exception
{
    /// <summary>Creates an exception with a status and a detail.</summary>
    public RpcException(RpcStatus status, string detail, bool notExecuted = false, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(FormatMessage(status, detail), innerException)
    {
        if (status == RpcStatus.OK)
        {
            throw new ArgumentOutOfRangeException(nameof(status), "An RpcException cannot carry the OK status.");
        }

        Status = status;
        Detail = detail;
        NotExecuted = notExecuted;
        RetryAfter = retryAfter;
    }

    /// <summary>The status of the failed call.</summary>
    [Id(0)]
    public RpcStatus Status { get; private set; }

    /// <summary>Human-readable detail: what failed and, where useful, what to do.</summary>
    [Id(1)]
    public string Detail { get; private set; }

    /// <summary>
    /// True only when it is certain that the target method did not start: rejected before dispatch,
    /// circuit open, shed, expired on arrival, no connection. Such a call may be retried whatever the method.
    /// </summary>
    [Id(2)]
    public bool NotExecuted { get; private set; }

    /// <summary>Server pushback: how long the caller should wait before trying again, when known.</summary>
    [Id(3)]
    public TimeSpan? RetryAfter { get; private set; }

    /// <summary>True when the status was produced on the caller's side (no connection, circuit open), not by a server.</summary>
    [Id(4)]
    public bool ClientGenerated { get; init; }

    /// <summary>
    /// True for the pipeline's own brakes (circuit open, retry budget spent): rejections an edge must not retry.
    /// Local to the process that made it; it does not travel.
    /// </summary>
    [NonSerialized]
    private bool _isBrake;

    internal bool IsBrake { get => _isBrake; init => _isBrake = value; }

    /// <summary>
    /// The exception this one only describes, when <see cref="RpcStatusMapper"/> read it from another exception: the
    /// one the caller gets when it came from a grain (see <c>CallerFailure</c>). Local to the process; it does not travel.
    /// </summary>
    [NonSerialized]
    private Exception? _thrown;

    internal Exception? Thrown { get => _thrown; init => _thrown = value; }

    /// <summary>
    /// Machine-readable facts a server attaches to the status for the caller to act on, like gRPC's status
    /// details: e.g. the offset an upload must resume at. Keys are owned by the API that sets them, which should
    /// offer a typed accessor; empty when there are none.
    /// </summary>
    [Id(5)]
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = EmptyMetadata;

    /// <summary>
    /// The <see cref="Metadata"/> key naming the limit of one grain (not of the service) a ResourceExhausted refers
    /// to, e.g. <c>Idempotency:RecordLimit</c>, as gRPC's quota failures name theirs. Circuit breakers do not count
    /// such refusals: one busy grain must not open the circuit for every grain of its interface.
    /// </summary>
    public const string QuotaKey = "reliablerpc.quota";

    /// <summary>
    /// The <see cref="Metadata"/> key of a silo's shed refusal (its adaptive limit on client calls), with the limit it
    /// was at. That silo is serving at its capacity and pacing its callers with <see cref="RetryAfter"/>: circuit
    /// breakers do not count such refusals, or they would refuse the calls it can serve too.
    /// </summary>
    public const string SheddingKey = "reliablerpc.shedding";

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();

    /// <summary>A copy of this exception with <see cref="NotExecuted"/> cleared: the call that carried it did start.</summary>
    public RpcException AsExecuted() => AsExecuted(thrown: null);

    /// <summary>A copy with <see cref="NotExecuted"/> cleared that still describes <paramref name="thrown"/>.</summary>
    internal RpcException AsExecuted(Exception? thrown) =>
        NotExecuted ? new RpcException(Status, Detail, notExecuted: false, RetryAfter, InnerException) { ClientGenerated = ClientGenerated, Metadata = Metadata, IsBrake = IsBrake, Thrown = thrown } : this;

    /// <summary>A copy that describes <paramref name="thrown"/>, an exception wrapping this one (an AggregateException).</summary>
    internal RpcException Describing(Exception thrown) =>
        new(Status, Detail, NotExecuted, RetryAfter, InnerException) { ClientGenerated = ClientGenerated, Metadata = Metadata, IsBrake = IsBrake, Thrown = thrown };

    private static string FormatMessage(RpcStatus status, string detail) => $"{status}: {detail}";
}
