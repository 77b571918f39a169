using Orleans;

namespace ReliableRpc.Grains.Blobs;

/// <summary>An upload's metadata, as its grain holds it.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Blobs.BlobInfo")]
public sealed record BlobInfo
{
    /// <summary>The upload id.</summary>
    [Id(0)] public required string UploadId { get; init; }

    /// <summary>Length, checksum and chunk size declared at creation.</summary>
    [Id(1)] public required BlobSpec Spec { get; init; }

    /// <summary>Bytes received and stored, from the start: where the next chunk must begin.</summary>
    [Id(2)] public long CommittedOffset { get; init; }

    /// <summary>Where the upload stands.</summary>
    [Id(3)] public BlobStatus Status { get; init; }

    /// <summary>Why the upload failed, when it did.</summary>
    [Id(4)] public string? FailureReason { get; init; }

    /// <summary>When it was created.</summary>
    [Id(5)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed (created, a chunk appended, completed): abandoned uploads are judged by it.</summary>
    [Id(6)] public DateTimeOffset UpdatedAt { get; init; }
}
