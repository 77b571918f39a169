namespace ReliableRpc;

/// <summary>
/// The per-call API: options for the calls started in a scope, and what a grain method knows of the
/// call it is handling.
/// </summary>
/// <example>
/// <code>
/// using (RpcCall.Deadline(TimeSpan.FromSeconds(2)))
/// {
///     await account.GetBalance();
/// }
/// </code>
/// </example>
public static class RpcCall
{
    private static readonly AsyncLocal<RpcCallOptions?> Scope = new();
    private static readonly AsyncLocal<IncomingRpcCall?> Handling = new();

    /// <summary>The options that apply to calls started here; null outside any scope.</summary>
    public static RpcCallOptions? Current => Scope.Value;

    /// <summary>
    /// Inside a grain method called through the pipeline: the call being handled (its deadline).
    /// Null at an edge: a client, a timer tick, a reminder, and inside a <see cref="Detach"/> scope. Work the method
    /// starts without awaiting it still sees the call here; once the call has completed
    /// (<see cref="IncomingRpcCall.Completed"/>) that work's calls are edges.
    /// </summary>
    public static IncomingRpcCall? Incoming => Handling.Value;

    /// <summary>
    /// Gives every call started in the scope a deadline of <paramref name="timeout"/> from its start
    /// (shortened, inside a grain method, to what is left of the incoming call's deadline).
    /// </summary>
    public static RpcCallScope Deadline(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return Push((Current ?? RpcCallOptions.Empty) with { Timeout = timeout });
    }

    /// <summary>
    /// Gives the next keyed call started in the scope (a method marked <see cref="AcceptsIdempotencyKeyAttribute"/>)
    /// the idempotency key <paramref name="key"/>: repeating the operation with the same key, even from another
    /// process, applies it once. A second keyed call in the same scope is refused (InvalidArgument, not sent): two
    /// operations under one key would apply once and both report success. Without a scope, the edge makes a new key
    /// per logical call.
    /// </summary>
    public static RpcCallScope IdempotencyKey(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (key.Length > 200)
        {
            throw new ArgumentException("An idempotency key may have at most 200 characters.", nameof(key));
        }

        return Push((Current ?? RpcCallOptions.Empty) with { IdempotencyKey = key, KeyUse = new IdempotencyKeyUse() });
    }

    /// <summary>Makes every call started in the scope retry with the named profile (e.g. <see cref="ReliableRpc.RetryProfile.Batch"/>).</summary>
    public static RpcCallScope RetryProfile(string profile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(profile);
        return Push((Current ?? RpcCallOptions.Empty) with { RetryProfile = profile });
    }

    /// <summary>Applies <paramref name="options"/> to every call started in the scope.</summary>
    public static RpcCallScope With(RpcCallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Timeout is { } timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, "options.Timeout");
        }

        // Each scope's key serves one call, even when the same options are pushed again.
        return Push(options.IdempotencyKey is null ? options : options with { KeyUse = new IdempotencyKeyUse() });
    }

    /// <summary>
    /// Detaches the work started in the scope from the incoming call: inside it <see cref="Incoming"/> is null, so its
    /// calls are edges, with their own deadlines and the edge's retries. Use it for work a grain method starts and
    /// does not await that must not be bound to the method's deadline while the method still runs (after the method
    /// has completed, such work's calls are edges anyway). Dispose restores the incoming call.
    /// </summary>
    /// <example>
    /// <code>
    /// using (RpcCall.Detach())
    /// {
    ///     _ = RefreshCacheAsync();
    /// }
    /// </code>
    /// </example>
    public static RpcCallDetachment Detach()
    {
        var detachment = new RpcCallDetachment(Handling.Value);
        Handling.Value = null;
        return detachment;
    }

    internal static void SetCurrent(RpcCallOptions? options) => Scope.Value = options;

    internal static void SetIncoming(IncomingRpcCall? call) => Handling.Value = call;

    private static RpcCallScope Push(RpcCallOptions options)
    {
        var scope = new RpcCallScope(Scope.Value);
        Scope.Value = options;
        return scope;
    }
}
