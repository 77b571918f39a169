using System.Diagnostics.CodeAnalysis;
using Orleans;

namespace ReliableRpc.Grains.Blobs;

/// <summary>
/// One large payload, keyed by its upload id, moved in chunks with a resumable protocol (like tus): <see cref="Create"/>,
/// then <see cref="Append"/> chunk after chunk at the committed offset, then <see cref="Complete"/>, which checks the
/// length and the SHA-256. Every method is safe to repeat, so the pipeline may retry any of them after an unknown
/// outcome, and a client that crashed asks <see cref="GetInfo"/> where to resume.
/// </summary>
[Alias("ReliableRpc.Blobs.IBlobUploadGrain")]
public interface IBlobUploadGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the upload, or returns it as it stands when it exists with the same length, checksum and chunk size
    /// (so a repeat is harmless and tells where to resume). Fails with InvalidArgument for a bad spec (see
    /// <see cref="BlobChunking.Problem"/>, and a chunk size over the silo's <c>Blobs:MaxChunkBytes</c>), and with
    /// AlreadyExists when the id is taken by another payload.
    /// </summary>
    [Idempotent]
    [Alias("Create")]
    Task<BlobInfo> Create(BlobSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the chunk that starts at <paramref name="offset"/> and returns the new committed offset. The offset must
    /// be the committed one, and the chunk exactly the upload's chunk size (the last one: what is left). Any other
    /// offset fails with FailedPrecondition carrying the committed offset (<see cref="BlobErrors.CommittedOffset"/>)
    /// — except a chunk already committed with the same bytes, which returns the committed offset and changes
    /// nothing: idempotent by construction. NotFound for an unknown upload id; InvalidArgument for a chunk of the
    /// wrong size.
    /// </summary>
    [Idempotent]
    [SuppressMessage("ReliableRpc.RetrySafety", "RRPC002", Justification = "De-duplicated by its offset: a chunk is taken only at the committed offset, and a committed one sent again changes nothing.")]
    [Alias("Append")]
    Task<long> Append(long offset, byte[] chunk, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks that every byte was received and that the stored chunks hash to the declared SHA-256, and marks the
    /// payload complete (readable). FailedPrecondition (with the committed offset) while bytes are missing; DataLoss
    /// when the stored bytes do not match the declared length or checksum: the upload is then failed for good.
    /// Completing again returns the same answer.
    /// </summary>
    [Idempotent]
    [Deadline(30_000)]
    [Alias("Complete")]
    Task<BlobInfo> Complete(CancellationToken cancellationToken = default);

    /// <summary>The upload's metadata: length, checksum, chunk size, committed offset, status. NotFound for an unknown id.</summary>
    [Idempotent]
    [Alias("GetInfo")]
    Task<BlobInfo> GetInfo(CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="length"/> bytes of a completed payload from <paramref name="offset"/> (fewer at its end).
    /// FailedPrecondition before the upload is complete, OutOfRange past its end, InvalidArgument for a length over
    /// the silo's <c>Blobs:MaxChunkBytes</c>.
    /// </summary>
    [Idempotent]
    [Alias("Read")]
    Task<byte[]> Read(long offset, int length, CancellationToken cancellationToken = default);
}
