namespace ReliableRpc.Grains.Blobs;

/// <summary>
/// The arithmetic of cutting a payload into fixed-size chunks, shared by the grain and the client so both agree on
/// which bytes chunk <c>i</c> holds: <c>[i × ChunkSize, min((i + 1) × ChunkSize, TotalLength))</c>.
/// </summary>
public static class BlobChunking
{
    /// <summary>The default chunk size: 256 KiB, far below the pipeline's 4 MiB message limit and quick to resend.</summary>
    public const int DefaultChunkSize = 256 * 1024;

    /// <summary>The largest chunk size any silo accepts: 1 MiB (a silo may set a lower <c>Blobs:MaxChunkBytes</c>).</summary>
    public const int MaxChunkSize = 1024 * 1024;

    /// <summary>How many chunks a payload of <paramref name="totalLength"/> bytes takes (0 for an empty one).</summary>
    public static long ChunkCount(long totalLength, int chunkSize) => (totalLength + chunkSize - 1) / chunkSize;

    /// <summary>The length of chunk <paramref name="index"/>: the chunk size, or what is left for the last.</summary>
    public static int ChunkLength(long totalLength, int chunkSize, long index) =>
        (int)Math.Clamp(totalLength - (index * chunkSize), 0, chunkSize);

    /// <summary>The length of the chunk that starts at <paramref name="offset"/> (0 at or past the end).</summary>
    public static int ChunkLengthAt(BlobSpec spec, long offset) => ChunkLength(spec.TotalLength, spec.ChunkSize, offset / spec.ChunkSize);

    /// <summary>True when <paramref name="offset"/> starts a chunk (or is the end of the payload).</summary>
    public static bool IsChunkStart(BlobSpec spec, long offset) =>
        offset >= 0 && offset <= spec.TotalLength && (offset % spec.ChunkSize == 0 || offset == spec.TotalLength);

    /// <summary>
    /// What is wrong with <paramref name="spec"/>, or null: a negative length, a chunk size outside 1 B..<paramref name="maxChunkSize"/>,
    /// a checksum that is not 64 hex digits, or more chunks than fit in an int.
    /// </summary>
    public static string? Problem(BlobSpec spec, int maxChunkSize = MaxChunkSize)
    {
        if (spec.TotalLength < 0)
        {
            return $"total length must not be negative (was {spec.TotalLength})";
        }

        if (spec.ChunkSize < 1 || spec.ChunkSize > maxChunkSize)
        {
            return $"chunk size must be between 1 and {maxChunkSize:N0} bytes (was {spec.ChunkSize:N0})";
        }

        if (spec.Sha256 is not { Length: 64 } || !spec.Sha256.All(char.IsAsciiHexDigit))
        {
            return "checksum must be a SHA-256: 64 hex digits";
        }

        return ChunkCount(spec.TotalLength, spec.ChunkSize) > int.MaxValue
            ? $"{spec.TotalLength:N0} bytes in chunks of {spec.ChunkSize:N0} makes too many chunks"
            : null;
    }
}
