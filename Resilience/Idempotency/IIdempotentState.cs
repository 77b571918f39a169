namespace ReliableRpc;

/// <summary>A grain state that carries the outcomes of its keyed calls, so they are written with its effects.</summary>
public interface IIdempotentState
{
    /// <summary>The records; persisted as part of the state (give the property an Orleans <c>[Id]</c>).</summary>
    IdempotencyRecords IdempotencyRecords { get; }
}
