namespace ReliableRpc;

/// <summary>
/// Marks a grain interface method whose grain de-duplicates calls by idempotency key (with
/// <see cref="IdempotencyGuard"/>). The edge gives every logical call to it a key — the caller's own
/// (<see cref="RpcCall.IdempotencyKey(string)"/>) or a new one — sends the same key with every attempt, and so
/// may retry the call after an unknown outcome like an <see cref="IdempotentAttribute">idempotent</see> one.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class AcceptsIdempotencyKeyAttribute : Attribute
{
}
