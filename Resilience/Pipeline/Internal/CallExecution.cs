using Orleans;
using Polly;
using ReliableRpc.Deadlines.Internal;
using ReliableRpc.Metadata.Internal;
using ReliableRpc.Policies.Internal;
using ReliableRpc.Retries.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>The state of one logical call across its attempts.</summary>
internal sealed class CallExecution
{
    private readonly TimeProvider _time;
    private readonly long _started;
    private object?[]? _arguments;

    public CallExecution(
        IOutgoingGrainCallContext context,
        MethodPolicy policy,
        RetryProfile profile,
        bool isEdge,
        bool retriesEnabled,
        TimeSpan timeout,
        TimeProvider time,
        string? idempotencyKey = null)
    {
        IdempotencyKey = idempotencyKey;
        Context = context;
        Policy = policy;
        Profile = profile;
        IsEdge = isEdge;
        CanRetry = retriesEnabled;
        Timeout = timeout;
        _time = time;
        _started = time.GetTimestamp();
        CallerToken = policy.IsCancellable ? context.Request.GetCancellationToken() : default;
        if (CanRetry)
        {
            SaveArguments();
        }
    }

    public IOutgoingGrainCallContext Context { get; }

    public MethodPolicy Policy { get; }

    public RetryProfile Profile { get; }

    /// <summary>True for a call that starts a logical call: a client, a timer tick, a reminder.</summary>
    public bool IsEdge { get; }

    /// <summary>
    /// True when failed attempts may be retried (retries on). Edges retry what the classification allows; a call
    /// made inside a grain method only re-sends a request that never reached its target (see <see cref="CallPipeline"/>).
    /// </summary>
    public bool CanRetry { get; }

    /// <summary>The logical call's idempotency key, sent with every attempt; null for an unkeyed call.</summary>
    public string? IdempotencyKey { get; }

    /// <summary>True when an attempt that may have run can be repeated: the method is idempotent, or keyed.</summary>
    public bool IsSafeToRepeat => Policy.IsIdempotent || IdempotencyKey is not null;

    /// <summary>The token the caller passed, before the pipeline replaced it with the attempt's.</summary>
    public CancellationToken CallerToken { get; }

    /// <summary>The logical call's deadline, from its start.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; private set; }

    /// <summary>Failed attempts that may have run (transparent retries excluded).</summary>
    public int CountedAttempts { get; set; }

    /// <summary>
    /// True when the last attempt got no answer: its attempt timeout fired, or the gateway connections changed
    /// under it (set by the attempt itself).
    /// </summary>
    public bool LastAttemptTimedOut { get; set; }

    /// <summary>
    /// True once an attempt failed in a way that does not prove it never ran (no answer, or a failure of a method that
    /// started): the logical call is then never NotExecuted, whatever its later attempts say.
    /// </summary>
    public bool MayHaveRun { get; set; }

    /// <summary>The failure the caller got, once the call has ended; null when it succeeded.</summary>
    public RpcException? Failure { get; set; }

    /// <summary>True when the last attempt was ended because the client lost a gateway connection (set by the attempt).</summary>
    public bool LastAttemptLostGateway { get; set; }

    /// <summary>Attempts of this call that a lost gateway ended; only the first is retried free of charge.</summary>
    public int GatewayLosses { get; set; }

    /// <summary>On a client, for an edge call that is safe to repeat: ends its attempts when a gateway is lost.</summary>
    public GatewayLossSignal? GatewayLoss { get; set; }

    /// <summary>
    /// The outcome of the first attempt, run before the retry strategy: its first call of the attempt returns this
    /// instead of sending the request again (see <see cref="CallPipeline"/>).
    /// </summary>
    public Outcome<RpcException?>? Replay { get; set; }

    /// <summary>Takes the outcome to replay, once.</summary>
    public Outcome<RpcException?>? TakeReplay()
    {
        var replay = Replay;
        Replay = null;
        return replay;
    }

    /// <summary>Retries granted so far.</summary>
    public int Retries { get; set; }

    /// <summary>The wait before the next attempt, decided with the retry.</summary>
    public TimeSpan NextDelay { get; set; }

    /// <summary>The logical call's span (edges only, and only when someone listens).</summary>
    public System.Diagnostics.Activity? Logical { get; set; }

    /// <summary>
    /// True when the logical call's span is recorded (sampled), so its attempts get spans of their own. A span
    /// sampled out still carries the trace's context onward, but its attempts' spans would be dropped too: they cost
    /// an <see cref="System.Diagnostics.Activity"/> and a state machine each for nothing.
    /// </summary>
    public bool TracesAttempts => Logical is { Recorded: true };

    /// <summary>When the logical call started (the call's clock).</summary>
    public long StartTimestamp => _started;

    /// <summary>What is left of the deadline.</summary>
    public TimeSpan Remaining => Timeout - _time.GetElapsedTime(_started);

    /// <summary>
    /// The next attempt's timeout: a safe-to-repeat call at an edge gets at most the attempt timeout (the method's
    /// own, from its [ResponseTimeout], else <paramref name="attemptTimeout"/>), so a frozen target costs one
    /// attempt; any other call gets the rest of its deadline.
    /// </summary>
    public TimeSpan NextAttemptTimeout(TimeSpan attemptTimeout)
    {
        attemptTimeout = Policy.AttemptTimeout ?? attemptTimeout;
        var remaining = Remaining;
        var timeout = IsEdge && CanRetry && IsSafeToRepeat && attemptTimeout < remaining ? attemptTimeout : remaining;

        // Never zero or negative: an attempt always gets a timer.
        return timeout > MinimumTimeout ? timeout : MinimumTimeout;
    }

    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// The caller's arguments, saved before the first attempt for the requests of later ones (see
    /// <see cref="RetryRequests"/>); null when the method takes nothing but a token, or the call is never retried.
    /// </summary>
    public object?[]? Arguments => _arguments;

    /// <summary>Counts the next attempt and writes the metadata it needs.</summary>
    public void BeginAttempt()
    {
        Attempts++;
        LastAttemptTimedOut = false;
        LastAttemptLostGateway = false;
        // The first attempt of a call on the method's own deadline carries nothing: the receiver derives it.
        if (Attempts == 1 && IdempotencyKey is null && !CallDeadline.MustTravel(Timeout, Policy))
        {
            return;
        }

        var budget = Attempts == 1 ? Timeout : Remaining;
        var milliseconds = Math.Max(0, Math.Min(uint.MaxValue, budget.TotalMilliseconds));
        CallMetadataCarrier.Write(new CallMetadata((uint)milliseconds, (ushort)Math.Min(Attempts, ushort.MaxValue), IdempotencyKey));
    }

    // A call to a grain on the same silo is not serialized, and Orleans resets the request's arguments when the
    // callee finishes: later attempts are built from this copy of the references, taken before anything was sent.
    private void SaveArguments()
    {
        var request = Context.Request;
        var count = request.GetArgumentCount();

        // The token is never restored (each attempt gets its own): a method with nothing else saves nothing.
        if (count == 0 || (count == 1 && Policy.CancellationTokenIndex == 0))
        {
            return;
        }

        _arguments = new object?[count];
        for (var i = 0; i < count; i++)
        {
            _arguments[i] = request.GetArgument(i);
        }
    }
}
