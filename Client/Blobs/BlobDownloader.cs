using System.Diagnostics;
using System.Security.Cryptography;
using ReliableRpc.Grains.Blobs;

namespace ReliableRpc.Client.Blobs;

/// <summary>
/// Downloads a completed upload chunk by chunk into a file, hashing as it goes, and keeps the file only when its
/// SHA-256 is the one the upload declared (and the silo verified at completion): it is written next to the target
/// as <c>FILE.part</c> and renamed into place after the check, so a failed download never leaves a wrong file.
/// </summary>
internal sealed class BlobDownloader(IGrainFactory grains, TransferRetry? retry = null)
{
    private readonly TransferRetry _retry = retry ?? TransferRetry.Default;

    /// <summary>Called with (bytes written, total length) when the download starts and after each chunk.</summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>Downloads upload <paramref name="uploadId"/> to <paramref name="path"/>; returns its metadata.</summary>
    public async Task<BlobInfo> DownloadAsync(string uploadId, string path, CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<IBlobUploadGrain>(uploadId);
        var info = await grain.GetInfo(cancellationToken);
        if (info.Status != BlobStatus.Completed)
        {
            throw new BlobTransferException(
                $"upload {uploadId} cannot be downloaded: {info.Status}, {info.CommittedOffset:N0} of {info.Spec.TotalLength:N0} bytes{(info.FailureReason is null ? "" : $" ({info.FailureReason})")}");
        }

        var partial = path + ".part";
        try
        {
            await WriteVerifiedAsync(grain, info, path, partial, cancellationToken);
            return info;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private async Task WriteVerifiedAsync(IBlobUploadGrain grain, BlobInfo info, string path, string partial, CancellationToken cancellationToken)
    {
        var spec = info.Spec;
        var uploadId = info.UploadId;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            long offset = 0;
            var sinceProgress = Stopwatch.StartNew();
            Progress?.Invoke(0, spec.TotalLength);
            while (offset < spec.TotalLength)
            {
                byte[] chunk;
                try
                {
                    // Reads in the upload's chunk size, so each read is one stored chunk.
                    chunk = await grain.Read(offset, BlobChunking.ChunkLengthAt(spec, offset), cancellationToken);
                }
                catch (Exception transient) when (TransferRetry.IsTransient(transient) && sinceProgress.Elapsed < _retry.StallTimeout)
                {
                    await Task.Delay(_retry.Pause, cancellationToken);
                    continue;
                }

                if (chunk.Length == 0)
                {
                    throw new BlobTransferException($"upload {uploadId} returned no bytes at offset {offset:N0} of {spec.TotalLength:N0}");
                }

                sha.AppendData(chunk);
                await file.WriteAsync(chunk, cancellationToken);
                offset += chunk.Length;
                sinceProgress.Restart();
                Progress?.Invoke(offset, spec.TotalLength);
            }
        }

        var digest = Convert.ToHexStringLower(sha.GetHashAndReset());
        if (!string.Equals(digest, spec.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new BlobTransferException($"checksum mismatch downloading {uploadId}: the bytes received have SHA-256 {digest}, the upload declared {spec.Sha256}; nothing was written to {path}");
        }

        File.Move(partial, path, overwrite: true);
    }
}
