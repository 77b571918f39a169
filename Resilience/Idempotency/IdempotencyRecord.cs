using Orleans;

namespace ReliableRpc;

/// <summary>The outcome of one keyed call, as stored with the grain's state.</summary>
/// <remarks>Public settable properties only, so JSON storage serializers keep every field.</remarks>
[GenerateSerializer]
[Alias("ReliableRpc.IdempotencyRecord")]
public sealed class IdempotencyRecord
{
    /// <summary>A hash of the method and arguments; a repeat with other arguments is refused.</summary>
    [Id(0)] public string Fingerprint { get; set; } = "";

    /// <summary>When the call was applied (UTC).</summary>
    [Id(1)] public DateTimeOffset RecordedAt { get; set; }

    /// <summary>
    /// The result returned when the call succeeded, serialized with Orleans' serializer: bytes survive any
    /// storage serializer (JSON included), where an <c>object</c> would come back as something else.
    /// </summary>
    [Id(2)] public byte[]? Result { get; set; }

    /// <summary>The failure returned, when it failed.</summary>
    [Id(3)] public RpcStatus? FailureStatus { get; set; }

    /// <summary>The failure's detail.</summary>
    [Id(4)] public string? FailureDetail { get; set; }

    /// <summary>
    /// The exception the call first failed with, serialized with Orleans' serializer, so a repeat is thrown the same
    /// type (an ArgumentException stays one). Null when it was not kept: written before it was, larger than
    /// <c>IdempotencyGuard.MaxFailureExceptionBytes</c>, or of a type without a codec; such a failure replays as an
    /// <see cref="RpcException"/> with <see cref="FailureStatus"/>. Persisted in <see cref="IdempotencyRecords.FailureExceptions"/>.
    /// </summary>
    [Id(5)] public byte[]? FailureException { get; set; }
}
