using Orleans;

namespace ReliableRpc.Metadata.Internal;

/// <summary>
/// Everything the pipeline carries with a call, as one small value in one RequestContext entry.
/// It is written only when the receiver cannot derive it: a deadline shorter than the method's own,
/// a later attempt, or an idempotency key. RequestContext is serialized into every message, so absence is the cheap case.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("rrpc.m")]
internal sealed class CallMetadata(uint budgetMilliseconds, ushort attempt, string? idempotencyKey = null)
{
    /// <summary>The remaining budget when the attempt was sent, in milliseconds (relative, so clocks never matter).</summary>
    [Id(0)]
    public uint BudgetMilliseconds { get; } = budgetMilliseconds;

    /// <summary>The attempt number at the edge; 1 for the first.</summary>
    [Id(1)]
    public ushort Attempt { get; } = attempt;

    /// <summary>The logical call's idempotency key, the same on every attempt; null for an unkeyed call.</summary>
    [Id(2)]
    public string? IdempotencyKey { get; } = idempotencyKey;

    public TimeSpan Budget => TimeSpan.FromMilliseconds(BudgetMilliseconds);
}
