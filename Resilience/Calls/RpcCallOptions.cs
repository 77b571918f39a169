namespace ReliableRpc;

/// <summary>What the calls started inside an <see cref="RpcCall"/> scope carry.</summary>
public sealed record RpcCallOptions
{
    internal static readonly RpcCallOptions Empty = new();

    /// <summary>The deadline of each call started in the scope, measured from the call's start; null = the method's.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The idempotency key of the next keyed call started in the scope (methods marked
    /// <see cref="AcceptsIdempotencyKeyAttribute"/>; other methods ignore it). Use one key per logical operation.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The retry profile of each call started in the scope (see <see cref="RetryOptions.Profiles"/>); null = the method's.</summary>
    public string? RetryProfile { get; init; }
}
