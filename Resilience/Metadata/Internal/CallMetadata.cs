using Orleans;

namespace ReliableRpc.Metadata.Internal;

/// <summary>
/// Everything the pipeline carries with a call, as one small value in one RequestContext entry.
/// It is written only when the receiver cannot derive it: a deadline shorter than the method's own,
/// or a later attempt. RequestContext is serialized into every message, so absence is the cheap case.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("rrpc.m")]
internal sealed class CallMetadata(uint budgetMilliseconds, ushort attempt)
{
    /// <summary>The remaining budget when the attempt was sent, in milliseconds (relative, so clocks never matter).</summary>
    [Id(0)]
    public uint BudgetMilliseconds { get; } = budgetMilliseconds;

    /// <summary>The attempt number at the edge; 1 for the first.</summary>
    [Id(1)]
    public ushort Attempt { get; } = attempt;

    public TimeSpan Budget => TimeSpan.FromMilliseconds(BudgetMilliseconds);
}
