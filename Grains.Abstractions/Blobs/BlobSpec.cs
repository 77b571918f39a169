using Orleans;

namespace ReliableRpc.Grains.Blobs;

/// <summary>What an upload will hold: its length, its SHA-256, and the size of the chunks it arrives in.</summary>
/// <param name="TotalLength">The payload's length in bytes (0 allowed).</param>
/// <param name="Sha256">The payload's SHA-256, 64 hex digits (either case).</param>
/// <param name="ChunkSize">Bytes per chunk; every chunk but the last has exactly this size.</param>
[GenerateSerializer]
[Alias("ReliableRpc.Blobs.BlobSpec")]
public sealed record BlobSpec([property: Id(0)] long TotalLength, [property: Id(1)] string Sha256, [property: Id(2)] int ChunkSize)
{
    /// <summary>True when <paramref name="other"/> describes the same payload cut the same way.</summary>
    public bool SameAs(BlobSpec other) =>
        TotalLength == other.TotalLength && ChunkSize == other.ChunkSize && string.Equals(Sha256, other.Sha256, StringComparison.OrdinalIgnoreCase);
}
