using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Storage;

namespace ReliableRpc.Grains.Blobs;

/// <summary>
/// One chunked upload. Its own state is metadata only (<see cref="BlobUploadState"/>); each chunk is stored under its
/// own key (<see cref="BlobChunkStore"/>), written before the metadata that commits it, so a crash between the two
/// leaves an uncommitted chunk that the next append of that offset overwrites. Appends are accepted only at the
/// committed offset, which makes every method safe to repeat. A reminder, registered before the upload is first
/// stored, deletes it once it has been left unfinished for <see cref="BlobOptions.AbandonedAfter"/>.
/// </summary>
[RandomPlacement]
public sealed class BlobUploadGrain(
    [PersistentState("upload", BlobStorage.Name)] IPersistentState<BlobUploadState> upload,
    IOptions<BlobOptions> options,
    ILogger<BlobUploadGrain> logger) : Grain, IBlobUploadGrain, IRemindable
{
    private const string SweepReminder = "abandoned";

    private BlobChunkStore? _chunks;
    private TimeProvider? _time;

    private string UploadId => this.GetPrimaryKeyString();

    private BlobChunkStore Chunks => _chunks ??= new BlobChunkStore(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(BlobStorage.Name), UploadId);

    private TimeProvider Time => _time ??= ServiceProvider.GetRequiredKeyedService<TimeProvider>(BlobStorage.TimeProviderKey);

    /// <inheritdoc />
    public async Task<BlobInfo> Create(BlobSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var limits = options.Value;
        var problem = BlobChunking.Problem(spec, limits.MaxChunkBytes)
            ?? (spec.TotalLength > limits.MaxBlobBytes ? $"total length {spec.TotalLength:N0} is over {BlobOptions.Section}:MaxBlobBytes ({limits.MaxBlobBytes:N0})" : null);
        if (problem is not null)
        {
            throw new RpcException(RpcStatus.InvalidArgument, $"upload {UploadId}: {problem}");
        }

        var state = upload.State;
        if (state.Status != BlobStatus.None)
        {
            return spec.SameAs(state.Spec!)
                ? Info()
                : throw new RpcException(RpcStatus.AlreadyExists,
                    $"upload {UploadId} exists for another payload ({state.Spec!.TotalLength:N0} bytes, SHA-256 {state.Spec.Sha256}, chunks of {state.Spec.ChunkSize:N0})");
        }

        // The reminder first, so stored metadata always has something to clean it up if the client goes away.
        await this.RegisterOrUpdateReminder(SweepReminder, limits.SweepPeriod, limits.SweepPeriod);
        var now = Time.GetUtcNow();
        state.Spec = spec with { Sha256 = spec.Sha256.ToLowerInvariant() };
        state.Status = BlobStatus.Uploading;
        state.CreatedAt = now;
        state.UpdatedAt = now;
        await this.WriteStateOrDeactivateAsync(upload);
        return Info();
    }

    /// <inheritdoc />
    public async Task<long> Append(long offset, byte[] chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var state = Existing();
        var spec = state.Spec!;
        if (chunk.Length > options.Value.MaxChunkBytes)
        {
            throw new RpcException(RpcStatus.InvalidArgument,
                $"upload {UploadId}: a chunk of {chunk.Length:N0} bytes is over {BlobOptions.Section}:MaxChunkBytes ({options.Value.MaxChunkBytes:N0})");
        }

        if (offset != state.CommittedOffset)
        {
            if (offset < state.CommittedOffset && await IsCommittedAsync(spec, offset, chunk))
            {
                // A repeat of a chunk already stored (its first answer was lost): nothing to do.
                return state.CommittedOffset;
            }

            throw BlobErrors.WrongOffset(
                $"upload {UploadId}: a chunk at offset {offset:N0}, but {state.CommittedOffset:N0} of {spec.TotalLength:N0} bytes are committed; resume at {state.CommittedOffset:N0}",
                state.CommittedOffset);
        }

        if (state.Status != BlobStatus.Uploading || state.CommittedOffset == spec.TotalLength)
        {
            throw BlobErrors.WrongOffset(
                $"upload {UploadId} takes no more chunks: {state.Status}, {state.CommittedOffset:N0} of {spec.TotalLength:N0} bytes committed",
                state.CommittedOffset);
        }

        var expected = BlobChunking.ChunkLengthAt(spec, offset);
        if (chunk.Length != expected)
        {
            throw new RpcException(RpcStatus.InvalidArgument,
                $"upload {UploadId}: the chunk at offset {offset:N0} must be {expected:N0} bytes (chunks of {spec.ChunkSize:N0}, {spec.TotalLength:N0} in all), was {chunk.Length:N0}");
        }

        // The chunk, then the metadata that commits it: a crash in between leaves an uncommitted chunk that the
        // client's next append at this offset overwrites.
        await Chunks.WriteAsync(state.ChunkCount, chunk);
        state.CommittedOffset += chunk.Length;
        state.ChunkCount++;
        state.UpdatedAt = Time.GetUtcNow();
        await this.WriteStateOrDeactivateAsync(upload);
        return state.CommittedOffset;
    }

    /// <inheritdoc />
    public async Task<BlobInfo> Complete(CancellationToken cancellationToken)
    {
        var state = Existing();
        var spec = state.Spec!;
        switch (state.Status)
        {
            case BlobStatus.Completed:
                return Info();
            case BlobStatus.Failed:
                throw Corrupt(state.FailureReason!);
        }

        if (state.CommittedOffset != spec.TotalLength)
        {
            throw BlobErrors.WrongOffset(
                $"upload {UploadId} is missing bytes: {state.CommittedOffset:N0} of {spec.TotalLength:N0} committed; resume at {state.CommittedOffset:N0}",
                state.CommittedOffset);
        }

        // Over the stored chunks rather than as they arrived: the hash then vouches for what a download will read,
        // and needs no hashing state to survive a crash or a move to another silo.
        var problem = await VerifyStoredAsync(spec, state.ChunkCount, cancellationToken);
        state.UpdatedAt = Time.GetUtcNow();
        if (problem is not null)
        {
            state.Status = BlobStatus.Failed;
            state.FailureReason = problem;
            await this.WriteStateOrDeactivateAsync(upload);
            BlobLog.UploadFailed(logger, UploadId, problem);
            throw Corrupt(problem);
        }

        state.Status = BlobStatus.Completed;
        state.CompletedAt = state.UpdatedAt;
        await this.WriteStateOrDeactivateAsync(upload);

        // A complete payload is kept; if this fails, the next tick sees it complete and unregisters.
        await UnregisterSweepAsync();
        return Info();
    }

    /// <inheritdoc />
    public Task<BlobInfo> GetInfo(CancellationToken cancellationToken)
    {
        Existing();
        return Task.FromResult(Info());
    }

    /// <inheritdoc />
    public async Task<byte[]> Read(long offset, int length, CancellationToken cancellationToken)
    {
        var state = Existing();
        var spec = state.Spec!;
        if (state.Status != BlobStatus.Completed)
        {
            throw new RpcException(RpcStatus.FailedPrecondition,
                $"upload {UploadId} is not complete ({state.Status}, {state.CommittedOffset:N0} of {spec.TotalLength:N0} bytes): nothing can be read yet");
        }

        if (length < 0 || length > options.Value.MaxChunkBytes)
        {
            throw new RpcException(RpcStatus.InvalidArgument,
                $"upload {UploadId}: a read of {length:N0} bytes; at most {options.Value.MaxChunkBytes:N0} ({BlobOptions.Section}:MaxChunkBytes)");
        }

        if (offset < 0 || offset > spec.TotalLength)
        {
            throw new RpcException(RpcStatus.OutOfRange, $"upload {UploadId}: offset {offset:N0} is outside its {spec.TotalLength:N0} bytes");
        }

        var result = new byte[(int)Math.Min(length, spec.TotalLength - offset)];
        var filled = 0;
        while (filled < result.Length)
        {
            var position = offset + filled;
            var index = (int)(position / spec.ChunkSize);
            var data = await Chunks.ReadAsync(index)
                ?? throw new RpcException(RpcStatus.DataLoss, $"upload {UploadId}: chunk {index} is missing from storage");
            var within = (int)(position - ((long)index * spec.ChunkSize));
            var count = Math.Min(data.Length - within, result.Length - filled);
            data.AsSpan(within, count).CopyTo(result.AsSpan(filled));
            filled += count;
        }

        return result;
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        try
        {
            var state = upload.State;
            if (state.Status is BlobStatus.None or BlobStatus.Completed)
            {
                // Complete (kept), or gone already: nothing left to watch.
                await UnregisterSweepAsync();
            }
            else if (Time.GetUtcNow() - state.UpdatedAt >= options.Value.AbandonedAfter)
            {
                await DeleteAbandonedAsync(state);
            }
        }
        catch (Exception exception)
        {
            BlobLog.SweepFailed(logger, UploadId, exception.Message);
        }
    }

    /// <summary>
    /// Deletes the chunks, then the metadata, then the reminder: a crash part way leaves the metadata and the
    /// reminder, and the next tick deletes the rest (deleting a chunk that is gone is a no-op).
    /// </summary>
    private async Task DeleteAbandonedAsync(BlobUploadState state)
    {
        var spec = state.Spec!;
        var chunks = 0;
        long bytes = 0;

        // One past the committed chunks: a chunk written just before a crash, never committed.
        var last = (int)Math.Min(state.ChunkCount, Math.Max(0, BlobChunking.ChunkCount(spec.TotalLength, spec.ChunkSize) - 1));
        for (var index = 0; index <= last; index++)
        {
            if (await Chunks.DeleteAsync(index) is { } length)
            {
                chunks++;
                bytes += length;
            }
        }

        var updatedAt = state.UpdatedAt;
        var totalLength = spec.TotalLength;
        await upload.ClearStateAsync(CancellationToken.None);
        await UnregisterSweepAsync();
        BlobLog.AbandonedUploadDeleted(logger, UploadId, chunks, bytes, totalLength, updatedAt, options.Value.AbandonedAfter);
        DeactivateOnIdle();
    }

    private async Task<string?> VerifyStoredAsync(BlobSpec spec, int chunkCount, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        for (var index = 0; index < chunkCount; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var data = await Chunks.ReadAsync(index);
            if (data is null)
            {
                return $"chunk {index} is missing from storage";
            }

            sha.AppendData(data);
            length += data.Length;
        }

        if (length != spec.TotalLength)
        {
            return $"the stored chunks hold {length:N0} bytes, {spec.TotalLength:N0} were declared";
        }

        var digest = Convert.ToHexStringLower(sha.GetHashAndReset());
        return digest == spec.Sha256 ? null : $"checksum mismatch: the stored bytes have SHA-256 {digest}, {spec.Sha256} was declared";
    }

    /// <summary>True when <paramref name="chunk"/> is exactly the committed chunk that starts at <paramref name="offset"/>.</summary>
    private async Task<bool> IsCommittedAsync(BlobSpec spec, long offset, byte[] chunk) =>
        offset >= 0 && offset % spec.ChunkSize == 0 && chunk.Length == BlobChunking.ChunkLengthAt(spec, offset)
        && await Chunks.ReadAsync((int)(offset / spec.ChunkSize)) is { } stored && stored.AsSpan().SequenceEqual(chunk);

    private async Task UnregisterSweepAsync()
    {
        if (await this.GetReminder(SweepReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private BlobUploadState Existing() => upload.State.Status != BlobStatus.None
        ? upload.State
        : throw new RpcException(RpcStatus.NotFound, $"upload id {UploadId} is unknown (never created, or deleted after it was abandoned)");

    private RpcException Corrupt(string reason) =>
        new(RpcStatus.DataLoss, $"upload {UploadId} failed: {reason}; start a new upload");

    private BlobInfo Info()
    {
        var state = upload.State;
        return new BlobInfo
        {
            UploadId = UploadId,
            Spec = state.Spec!,
            CommittedOffset = state.CommittedOffset,
            Status = state.Status,
            FailureReason = state.FailureReason,
            CreatedAt = state.CreatedAt,
            UpdatedAt = state.UpdatedAt,
        };
    }
}
