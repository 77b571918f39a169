namespace ReliableRpc;

/// <summary>
/// Marks a grain interface method as safe to repeat: running it twice has the same effect as running
/// it once (reads, "set to value", operations de-duplicated by an id in their arguments).
/// The pipeline may retry such a method after a failure whose outcome is unknown; methods without
/// this mark are at-most-once unless the call carries an idempotency key.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class IdempotentAttribute : Attribute
{
}
