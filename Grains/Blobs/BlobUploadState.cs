using Orleans;

namespace ReliableRpc.Grains.Blobs;

/// <summary>
/// The persisted metadata of an upload — never its bytes: each chunk has its own storage key
/// (<see cref="BlobChunkStore"/>), so appending writes one chunk and this small record, never the whole payload.
/// </summary>
[GenerateSerializer]
[Alias("ReliableRpc.Blobs.BlobUploadState")]
public sealed class BlobUploadState
{
    /// <summary>Where the upload stands; <see cref="BlobStatus.None"/> until created.</summary>
    [Id(0)] public BlobStatus Status { get; set; }

    /// <summary>Length, checksum and chunk size declared at creation.</summary>
    [Id(1)] public BlobSpec? Spec { get; set; }

    /// <summary>Bytes stored from the start; always a chunk boundary or the end.</summary>
    [Id(2)] public long CommittedOffset { get; set; }

    /// <summary>Chunks committed (<see cref="CommittedOffset"/> in chunks).</summary>
    [Id(3)] public int ChunkCount { get; set; }

    /// <summary>Why completion failed.</summary>
    [Id(4)] public string? FailureReason { get; set; }

    /// <summary>When it was created.</summary>
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it last changed.</summary>
    [Id(6)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When it was completed, if it was.</summary>
    [Id(7)] public DateTimeOffset? CompletedAt { get; set; }
}
