namespace ReliableRpc;

/// <summary>
/// Marks a grain interface method that must never run twice for one call: the pipeline never retries it
/// after it may have started (a failure whose outcome is unknown reaches the caller). It is only re-sent when
/// the runtime proves the request never ran (NotExecuted).
/// </summary>
/// <remarks>
/// This is already what the pipeline does for a method that is neither <see cref="IdempotentAttribute">idempotent</see>
/// nor <see cref="AcceptsIdempotencyKeyAttribute">keyed</see>, so the mark changes nothing at run time: it records
/// that at-most-once was chosen, not forgotten (the ReliableRpc analyzer's RRPC001 asks for one of the three).
/// Combined with either of the other marks it wins: the method is treated as at-most-once, and no key is sent.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class AtMostOnceAttribute : Attribute
{
}
