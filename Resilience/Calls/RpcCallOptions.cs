namespace ReliableRpc;

/// <summary>What the calls started inside an <see cref="RpcCall"/> scope carry.</summary>
public sealed record RpcCallOptions
{
    internal static readonly RpcCallOptions Empty = new();

    /// <summary>The deadline of each call started in the scope, measured from the call's start; null = the method's.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The idempotency key of the next keyed call started in the scope (methods marked
    /// <see cref="AcceptsIdempotencyKeyAttribute"/>; other methods ignore it). Use one key per logical operation:
    /// a second keyed call started in the same scope is refused with InvalidArgument, not sent.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Whether a keyed call has taken <see cref="IdempotencyKey"/>; shared by the scopes nested in the one that set it.</summary>
    internal IdempotencyKeyUse? KeyUse { get; init; }

    /// <summary>The retry profile of each call started in the scope (see <see cref="RetryOptions.Profiles"/>); null = the method's.</summary>
    public string? RetryProfile { get; init; }
}

/// <summary>Lets exactly one keyed call take a scope's idempotency key, even when calls start concurrently.</summary>
internal sealed class IdempotencyKeyUse
{
    private int _taken;

    /// <summary>True for the first caller only.</summary>
    public bool TryTake() => Interlocked.Exchange(ref _taken, 1) == 0;
}
