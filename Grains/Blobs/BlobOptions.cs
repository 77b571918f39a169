using ReliableRpc.Grains.Blobs;

namespace ReliableRpc.Grains.Blobs;

/// <summary>Limits and cleanup of chunked uploads. Bound from the "Blobs" section; validated when the silo starts.</summary>
public sealed class BlobOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Blobs";

    /// <summary>
    /// An upload that is not complete and has not changed for this long is deleted, chunks and metadata.
    /// The default value is 24 hours.
    /// </summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How often an unfinished upload's reminder checks whether it was abandoned; so an upload is deleted between
    /// <see cref="AbandonedAfter"/> and that plus this. At least Orleans' minimum reminder period (1 minute by
    /// default). The default value is 1 hour.
    /// </summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The largest chunk size an upload may declare, and the largest read. At most 1 MiB
    /// (<see cref="BlobChunking.MaxChunkSize"/>), which keeps a chunk and its envelope well under the pipeline's
    /// message limit. The default value is 1 MiB.
    /// </summary>
    public int MaxChunkBytes { get; set; } = BlobChunking.MaxChunkSize;

    /// <summary>The largest payload an upload may declare. The default value is 4 GiB.</summary>
    public long MaxBlobBytes { get; set; } = 4L * 1024 * 1024 * 1024;
}
