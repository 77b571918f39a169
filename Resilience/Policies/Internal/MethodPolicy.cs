namespace ReliableRpc.Policies.Internal;

/// <summary>
/// What the pipeline needs to know of one grain interface method, resolved once from its attributes and
/// the options, then frozen: nothing is looked up by reflection per call.
/// </summary>
internal sealed class MethodPolicy
{
    /// <summary>The policy of calls the pipeline leaves alone: Orleans' own traffic, extensions, one-way calls.</summary>
    public static readonly MethodPolicy PassThrough = new(passThrough: true, "", "", idempotent: false, TimeSpan.Zero, -1, hasResult: false);

    public MethodPolicy(
        bool passThrough,
        string interfaceName,
        string methodName,
        bool idempotent,
        TimeSpan deadline,
        int cancellationTokenIndex,
        bool hasResult = true,
        string retryProfile = RetryProfile.Interactive,
        int[]? sizedArguments = null,
        bool resultMayBeLarge = false,
        bool acceptsKey = false,
        TimeSpan? attemptTimeout = null,
        TimeSpan? raisedMaxDeadline = null)
    {
        AttemptTimeout = attemptTimeout;
        RaisedMaxDeadline = raisedMaxDeadline;
        AcceptsKey = acceptsKey;
        SizedArguments = sizedArguments ?? [];
        ResultMayBeLarge = resultMayBeLarge;
        RetryProfileName = retryProfile;
        HasResult = hasResult;
        IsPassThrough = passThrough;
        InterfaceName = interfaceName;
        MethodName = methodName;
        SpanName = $"{interfaceName}/{methodName}";
        IsIdempotent = idempotent;
        Deadline = deadline;
        CancellationTokenIndex = cancellationTokenIndex;
    }

    /// <summary>True when the pipeline must not touch the call.</summary>
    public bool IsPassThrough { get; }

    /// <summary>The grain interface's name, for status details, logs and metrics.</summary>
    public string InterfaceName { get; }

    /// <summary>The method's name.</summary>
    public string MethodName { get; }

    /// <summary>The name of a logical call's span, built once: a traced call should not pay for it each time.</summary>
    public string SpanName { get; }

    /// <summary>True when the method carries <see cref="AcceptsIdempotencyKeyAttribute"/>: its grain de-duplicates by key.</summary>
    public bool AcceptsKey { get; }

    /// <summary>True when the method carries <see cref="IdempotentAttribute"/>.</summary>
    public bool IsIdempotent { get; }

    /// <summary>
    /// The method's deadline when the caller sets none: <see cref="DeadlineAttribute"/>, else Orleans'
    /// <see cref="Orleans.ResponseTimeoutAttribute"/>, else the default.
    /// </summary>
    public TimeSpan Deadline { get; }

    /// <summary>
    /// The method's own attempt timeout, its <see cref="Orleans.ResponseTimeoutAttribute"/> (as in plain Orleans, how
    /// long one request may take); null for the configured one.
    /// </summary>
    public TimeSpan? AttemptTimeout { get; }

    /// <summary>The method's cap on deadlines when its <see cref="Orleans.ResponseTimeoutAttribute"/> is longer than the configured one; else null.</summary>
    public TimeSpan? RaisedMaxDeadline { get; }

    /// <summary>The position of the method's <see cref="CancellationToken"/> parameter, or -1.</summary>
    public int CancellationTokenIndex { get; }

    /// <summary>Positions of the arguments whose type can be large (byte arrays, strings, collections…): the only ones the size limit measures.</summary>
    public int[] SizedArguments { get; }

    /// <summary>True when the method's result type can be large.</summary>
    public bool ResultMayBeLarge { get; }

    /// <summary>The method's retry profile: <see cref="RetryProfileAttribute"/> or the default.</summary>
    public string RetryProfileName { get; }

    /// <summary>
    /// True when the method returns a value. Orleans reads the call's response only for those; a failure of a
    /// method returning a bare Task must be thrown from the filter to reach the caller.
    /// </summary>
    public bool HasResult { get; }

    /// <summary>True when the method takes a CancellationToken, so the deadline can cancel its work.</summary>
    public bool IsCancellable => CancellationTokenIndex >= 0;

    public override string ToString() => IsPassThrough ? "pass-through" : $"{InterfaceName}.{MethodName}";
}
