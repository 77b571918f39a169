using System.Diagnostics;
using System.Security.Cryptography;
using ReliableRpc.Grains.Blobs;

namespace ReliableRpc.Client.Blobs;

/// <summary>
/// Uploads a file in chunks through <see cref="IBlobUploadGrain"/>: create (or, resuming, ask where the upload
/// stands), append chunk after chunk at the committed offset, complete. A FailedPrecondition that carries the
/// committed offset moves the upload there; a transient failure makes it pause and resync (<see cref="TransferRetry"/>).
/// </summary>
internal sealed class BlobUploader(IGrainFactory grains, TransferRetry? retry = null)
{
    private readonly TransferRetry _retry = retry ?? TransferRetry.Default;

    /// <summary>Called with (committed offset, total length) when the upload starts and after each chunk.</summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>How often the upload moved to an offset the cluster reported, after a lost answer or a transient failure.</summary>
    public int Resyncs { get; private set; }

    /// <summary>Called before each chunk is sent, with its offset: lets tests disturb an upload part way.</summary>
    public Func<long, Task>? BeforeChunk { get; init; }

    /// <summary>The file's length and SHA-256, as an upload declares them.</summary>
    public static async Task<BlobSpec> DescribeAsync(string path, int chunkSize, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new BlobTransferException($"file not found: {path}");
        }

        await using var file = File.OpenRead(path);
        var digest = await SHA256.HashDataAsync(file, cancellationToken);
        return new BlobSpec(file.Length, Convert.ToHexStringLower(digest), chunkSize);
    }

    /// <summary>
    /// Uploads <paramref name="path"/> as <paramref name="uploadId"/>. With <paramref name="resume"/>, the upload must
    /// exist (NotFound otherwise) for this very file, and it goes on from its committed offset in its own chunk size;
    /// without, it is created, and an id that already holds bytes is refused (pass resume).
    /// </summary>
    public async Task<BlobInfo> UploadAsync(string path, string uploadId, int chunkSize, bool resume, CancellationToken cancellationToken)
    {
        var spec = await DescribeAsync(path, chunkSize, cancellationToken);
        var grain = grains.GetGrain<IBlobUploadGrain>(uploadId);
        var info = resume ? await grain.GetInfo(cancellationToken) : await grain.Create(spec, cancellationToken);
        if (resume && (info.Spec.TotalLength != spec.TotalLength || !string.Equals(info.Spec.Sha256, spec.Sha256, StringComparison.OrdinalIgnoreCase)))
        {
            throw new BlobTransferException(
                $"{path} is not what upload {uploadId} holds: the file has {spec.TotalLength:N0} bytes, SHA-256 {spec.Sha256}; the upload was created for {info.Spec.TotalLength:N0} bytes, SHA-256 {info.Spec.Sha256}");
        }

        if (!resume && (info.CommittedOffset > 0 || info.Status != BlobStatus.Uploading))
        {
            throw new BlobTransferException(
                $"upload {uploadId} already exists ({info.Status}, {info.CommittedOffset:N0} of {info.Spec.TotalLength:N0} bytes); pass --resume to continue it");
        }

        switch (info.Status)
        {
            case BlobStatus.Completed:
                Progress?.Invoke(info.CommittedOffset, info.Spec.TotalLength);
                return info;
            case BlobStatus.Failed:
                throw new BlobTransferException($"upload {uploadId} failed for good: {info.FailureReason}; start a new upload");
        }

        // Resuming goes on in the upload's own chunk size: the chunks already stored were cut that way.
        await SendAsync(path, grain, info.Spec, info.CommittedOffset, cancellationToken);
        return await WithResyncAsync(ct => grain.Complete(ct), Stopwatch.StartNew(), cancellationToken);
    }

    private async Task SendAsync(string path, IBlobUploadGrain grain, BlobSpec spec, long offset, CancellationToken cancellationToken)
    {
        Progress?.Invoke(offset, spec.TotalLength);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var sinceProgress = Stopwatch.StartNew();
        Exception? lastFailure = null;
        while (offset < spec.TotalLength)
        {
            var chunk = new byte[BlobChunking.ChunkLengthAt(spec, offset)];
            file.Position = offset;
            await file.ReadExactlyAsync(chunk, cancellationToken);
            if (BeforeChunk is not null)
            {
                await BeforeChunk(offset);
            }

            try
            {
                offset = await grain.Append(offset, chunk, cancellationToken);
                sinceProgress.Restart();
                Progress?.Invoke(offset, spec.TotalLength);
                continue;
            }
            catch (Exception wrongOffset) when (RpcStatus.Of(wrongOffset) == RpcStatus.FailedPrecondition && BlobErrors.CommittedOffset(wrongOffset) is { } committed)
            {
                // The upload is elsewhere than this client thought (its earlier answer was lost, or another client
                // moved it): go on from where it is.
                lastFailure = wrongOffset;
                if (committed == offset || !BlobChunking.IsChunkStart(spec, committed))
                {
                    throw;
                }

                offset = committed;
                Resyncs++;
            }
            catch (Exception transient) when (TransferRetry.IsTransient(transient))
            {
                lastFailure = transient;
                await Task.Delay(_retry.Pause, cancellationToken);
                offset = await ResyncAsync(grain, sinceProgress, cancellationToken);
                Resyncs++;
            }

            if (sinceProgress.Elapsed > _retry.StallTimeout)
            {
                throw lastFailure;
            }

            Progress?.Invoke(offset, spec.TotalLength);
        }
    }

    /// <summary>Asks the upload for its committed offset until it answers or the stall timeout passes.</summary>
    private async Task<long> ResyncAsync(IBlobUploadGrain grain, Stopwatch sinceProgress, CancellationToken cancellationToken) =>
        (await WithResyncAsync(ct => grain.GetInfo(ct), sinceProgress, cancellationToken)).CommittedOffset;

    /// <summary>Makes <paramref name="call"/>, again after each transient failure, until the stall timeout passes.</summary>
    private async Task<T> WithResyncAsync<T>(Func<CancellationToken, Task<T>> call, Stopwatch since, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (Exception transient) when (TransferRetry.IsTransient(transient) && since.Elapsed < _retry.StallTimeout)
            {
                await Task.Delay(_retry.Pause, cancellationToken);
            }
        }
    }
}
