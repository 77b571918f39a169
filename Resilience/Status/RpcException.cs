using Orleans;

namespace ReliableRpc;

/// <summary>
/// The one exception a caller sees when a grain call fails: a <see cref="RpcStatus"/>, a human
/// <see cref="Detail"/>, optional server pushback, and whether the call certainly did not run.
/// </summary>
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

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();

    /// <summary>A copy of this exception with <see cref="NotExecuted"/> cleared: the call that carried it did start.</summary>
    public RpcException AsExecuted() =>
        NotExecuted ? new RpcException(Status, Detail, notExecuted: false, RetryAfter, InnerException) { ClientGenerated = ClientGenerated, Metadata = Metadata, IsBrake = IsBrake } : this;

    private static string FormatMessage(RpcStatus status, string detail) => $"{status}: {detail}";
}
