using Orleans;

namespace ReliableRpc;

/// <summary>The outcome of one keyed call, as stored with the grain's state.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.IdempotencyRecord")]
public sealed class IdempotencyRecord
{
    /// <summary>A hash of the method and arguments; a repeat with other arguments is refused.</summary>
    [Id(0)] public string Fingerprint { get; init; } = "";

    /// <summary>When the call was applied (UTC).</summary>
    [Id(1)] public DateTimeOffset RecordedAt { get; init; }

    /// <summary>The result returned, when the call succeeded.</summary>
    [Id(2)] public object? Result { get; init; }

    /// <summary>The failure returned, when it failed.</summary>
    [Id(3)] public RpcStatus? FailureStatus { get; init; }

    /// <summary>The failure's detail.</summary>
    [Id(4)] public string? FailureDetail { get; init; }
}
