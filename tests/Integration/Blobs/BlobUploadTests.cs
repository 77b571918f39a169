using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using ReliableRpc.Client.Blobs;
using ReliableRpc.Grains.Blobs;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Blobs;

/// <summary>The chunked-upload protocol over the wire, on the shared 2-silo cluster with shared storage.</summary>
[Collection(ClusterCollection.Name)]
public class BlobUploadTests(ClusterFixture fixture)
{
    private const int ChunkSize = 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private IBlobUploadGrain Upload(string name) => fixture.Grains.GetGrain<IBlobUploadGrain>($"{_run}-{name}");

    private static byte[] Payload(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static BlobSpec SpecOf(byte[] payload, int chunkSize = ChunkSize) =>
        new(payload.Length, Convert.ToHexStringLower(SHA256.HashData(payload)), chunkSize);

    private static byte[] Chunk(byte[] payload, long offset, int chunkSize = ChunkSize) =>
        payload.AsSpan((int)offset, (int)Math.Min(chunkSize, payload.Length - offset)).ToArray();

    [Fact]
    public async Task Append_AtWrongOffset_FailsWithFailedPreconditionCarryingTheCommittedOffset()
    {
        var payload = Payload(3_000, seed: 1);
        var upload = Upload("wrong-offset");
        await upload.Create(SpecOf(payload)).WaitAsync(Timeout);
        Assert.Equal(1024, await upload.Append(0, Chunk(payload, 0)).WaitAsync(Timeout));

        // Ahead of the committed offset (a chunk skipped), and behind it with other bytes.
        var ahead = await Assert.ThrowsAsync<RpcException>(() => upload.Append(2048, Chunk(payload, 2048)).WaitAsync(Timeout));
        var rewrite = await Assert.ThrowsAsync<RpcException>(() => upload.Append(0, Payload(1024, seed: 99)).WaitAsync(Timeout));

        foreach (var failure in new[] { ahead, rewrite })
        {
            Assert.Equal(RpcStatus.FailedPrecondition, failure.Status);
            Assert.Equal(1024, BlobErrors.CommittedOffset(failure));
            Assert.Contains("resume at 1,024", failure.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(1024, (await upload.GetInfo().WaitAsync(Timeout)).CommittedOffset);
    }

    [Fact]
    public async Task Append_RepeatedCommittedChunk_IsHarmless_AndTheUploadCompletesIntact()
    {
        var payload = Payload(2_500, seed: 2);
        var upload = Upload("repeat");
        await upload.Create(SpecOf(payload)).WaitAsync(Timeout);
        Assert.Equal(1024, await upload.Append(0, Chunk(payload, 0)).WaitAsync(Timeout));
        var writes = SharedGrainStorage.WritesOf($"{_run}-repeat");

        // The same chunk again, as a retry whose first answer was lost would send it; and the create again.
        Assert.Equal(1024, await upload.Append(0, Chunk(payload, 0)).WaitAsync(Timeout));
        Assert.Equal(1024, (await upload.Create(SpecOf(payload)).WaitAsync(Timeout)).CommittedOffset);
        Assert.Equal(writes, SharedGrainStorage.WritesOf($"{_run}-repeat"));

        Assert.Equal(2048, await upload.Append(1024, Chunk(payload, 1024)).WaitAsync(Timeout));
        Assert.Equal(2500, await upload.Append(2048, Chunk(payload, 2048)).WaitAsync(Timeout));
        Assert.Equal(2500, await upload.Append(2048, Chunk(payload, 2048)).WaitAsync(Timeout));
        var info = await upload.Complete().WaitAsync(Timeout);
        Assert.Equal(BlobStatus.Completed, info.Status);
        Assert.Equal(BlobStatus.Completed, (await upload.Complete().WaitAsync(Timeout)).Status);

        // Reads need not follow chunk boundaries.
        var read = new List<byte>();
        for (long offset = 0; offset < payload.Length; offset += 700)
        {
            read.AddRange(await upload.Read(offset, 700).WaitAsync(Timeout));
        }

        Assert.Equal(payload, read.ToArray());
    }

    [Fact]
    public async Task Append_WhenTheMetadataWriteFailsAfterTheChunkWasStored_IsRetried_AndOverwritesTheUncommittedChunk()
    {
        var payload = Payload(2_048, seed: 10);
        var upload = Upload("crash");
        await upload.Create(SpecOf(payload)).WaitAsync(Timeout);
        await upload.Append(0, Chunk(payload, 0)).WaitAsync(Timeout);

        // As a crash between the two writes: chunk 1 is stored, the metadata that commits it is not. The grain
        // deactivates and answers Unknown; the pipeline retries the append (idempotent) on a fresh activation,
        // which finds chunk 1 uncommitted and overwrites it under the ETag the store asks for.
        SharedGrainStorage.FailNextWrite($"upload/{_run}-crash", SharedGrainStorage.WriteFault.BeforeCommit);
        Assert.Equal(2048, await upload.Append(1024, Chunk(payload, 1024)).WaitAsync(Timeout));

        Assert.Equal(1, SharedGrainStorage.StaleWritesOf($"blobchunk/{_run}-crash/1/"));
        Assert.Equal(BlobStatus.Completed, (await upload.Complete().WaitAsync(Timeout)).Status);
    }

    [Fact]
    public async Task Complete_AfterACorruptedChunk_FailsWithDataLoss_AndTheUploadIsFailedForGood()
    {
        var payload = Payload(2_048, seed: 3);
        var upload = Upload("corrupt");
        await upload.Create(SpecOf(payload)).WaitAsync(Timeout);
        var corrupted = Chunk(payload, 1024);
        corrupted[17] ^= 0xFF;
        await upload.Append(0, Chunk(payload, 0)).WaitAsync(Timeout);

        var early = await Assert.ThrowsAsync<RpcException>(() => upload.Complete().WaitAsync(Timeout));
        Assert.Equal(RpcStatus.FailedPrecondition, early.Status);
        Assert.Equal(1024, BlobErrors.CommittedOffset(early));

        await upload.Append(1024, corrupted).WaitAsync(Timeout);
        var failure = await Assert.ThrowsAsync<RpcException>(() => upload.Complete().WaitAsync(Timeout));

        Assert.Equal(RpcStatus.DataLoss, failure.Status);
        Assert.Contains("checksum mismatch", failure.Detail, StringComparison.Ordinal);
        Assert.Equal(RpcStatus.DataLoss, (await Assert.ThrowsAsync<RpcException>(() => upload.Complete().WaitAsync(Timeout))).Status);
        Assert.Equal(BlobStatus.Failed, (await upload.GetInfo().WaitAsync(Timeout)).Status);
        Assert.Equal(RpcStatus.FailedPrecondition, (await Assert.ThrowsAsync<RpcException>(() => upload.Read(0, 100).WaitAsync(Timeout))).Status);
    }

    [Fact]
    public async Task Complete_WhenAStoredChunkWasCorruptedUnderneath_FailsWithDataLoss()
    {
        var payload = Payload(2_048, seed: 4);
        var upload = Upload("rot");
        await upload.Create(SpecOf(payload)).WaitAsync(Timeout);
        await upload.Append(0, Chunk(payload, 0)).WaitAsync(Timeout);
        await upload.Append(1024, Chunk(payload, 1024)).WaitAsync(Timeout);

        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        SharedGrainStorage.Corrupt($"blobchunk/{_run}-rot/1/", new BlobChunk { Data = Payload(1024, seed: 5) }, serializer);

        var failure = await Assert.ThrowsAsync<RpcException>(() => upload.Complete().WaitAsync(Timeout));
        Assert.Equal(RpcStatus.DataLoss, failure.Status);
    }

    [Fact]
    public async Task OverCapChunks_FailClearly_ResourceExhaustedOverTheMessageLimit_InvalidArgumentOverTheChunkLimit()
    {
        var upload = Upload("over-cap");
        var spec = new BlobSpec(10L * 1024 * 1024, new string('0', 64), BlobChunking.MaxChunkSize);
        await upload.Create(spec).WaitAsync(Timeout);

        // Over the pipeline's 4 MiB request limit: refused before it is sent.
        var huge = await Assert.ThrowsAsync<RpcException>(() => upload.Append(0, new byte[5 * 1024 * 1024]).WaitAsync(Timeout));
        Assert.Equal(RpcStatus.ResourceExhausted, huge.Status);
        Assert.True(huge.NotExecuted);

        // Under the message limit, over Blobs:MaxChunkBytes: the grain refuses it.
        var big = await Assert.ThrowsAsync<RpcException>(() => upload.Append(0, new byte[2 * 1024 * 1024]).WaitAsync(Timeout));
        Assert.Equal(RpcStatus.InvalidArgument, big.Status);
        Assert.Contains("MaxChunkBytes", big.Detail, StringComparison.Ordinal);

        // A chunk size over the limit is refused at creation, a chunk of the wrong size at append.
        var create = await Assert.ThrowsAsync<RpcException>(() => Upload("over-cap-2").Create(spec with { ChunkSize = 2 * 1024 * 1024 }).WaitAsync(Timeout));
        Assert.Equal(RpcStatus.InvalidArgument, create.Status);
        var shortChunk = await Assert.ThrowsAsync<RpcException>(() => upload.Append(0, new byte[100]).WaitAsync(Timeout));
        Assert.Equal(RpcStatus.InvalidArgument, shortChunk.Status);
        Assert.Equal(0, (await upload.GetInfo().WaitAsync(Timeout)).CommittedOffset);
    }

    [Fact]
    public async Task UnknownOrTakenId_FailsWithNotFoundOrAlreadyExists()
    {
        var unknown = Upload("never-created");
        Assert.Equal(RpcStatus.NotFound, (await Assert.ThrowsAsync<RpcException>(() => unknown.GetInfo().WaitAsync(Timeout))).Status);
        Assert.Equal(RpcStatus.NotFound, (await Assert.ThrowsAsync<RpcException>(() => unknown.Append(0, new byte[10]).WaitAsync(Timeout))).Status);

        var payload = Payload(100, seed: 6);
        var taken = Upload("taken");
        await taken.Create(SpecOf(payload)).WaitAsync(Timeout);
        var other = await Assert.ThrowsAsync<RpcException>(() => taken.Create(SpecOf(Payload(100, seed: 7))).WaitAsync(Timeout));
        Assert.Equal(RpcStatus.AlreadyExists, other.Status);
    }

    [Fact]
    public async Task Uploader_ResumedAfterAClientCrash_CompletesIntact_AndTheDownloaderVerifiesIt()
    {
        var directory = Directory.CreateTempSubdirectory("blobs-");
        try
        {
            var payload = Payload(10_000, seed: 8);
            var source = Path.Combine(directory.FullName, "source.bin");
            await File.WriteAllBytesAsync(source, payload);
            var id = $"{_run}-resume";

            // A client that crashed after three chunks.
            var crashing = new BlobUploader(fixture.Grains) { BeforeChunk = offset => offset >= 3 * ChunkSize ? throw new IOException("client crashed") : Task.CompletedTask };
            await Assert.ThrowsAsync<IOException>(() => crashing.UploadAsync(source, id, ChunkSize, resume: false, CancellationToken.None).WaitAsync(Timeout));
            Assert.Equal(3 * ChunkSize, (await Upload("resume").GetInfo().WaitAsync(Timeout)).CommittedOffset);

            // Without --resume the id is refused; with it, the upload goes on from the committed offset.
            await Assert.ThrowsAsync<BlobTransferException>(() => new BlobUploader(fixture.Grains).UploadAsync(source, id, ChunkSize, resume: false, CancellationToken.None).WaitAsync(Timeout));
            var sent = new List<long>();
            var info = await new BlobUploader(fixture.Grains) { BeforeChunk = offset => { sent.Add(offset); return Task.CompletedTask; } }
                .UploadAsync(source, id, chunkSize: 4096, resume: true, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(BlobStatus.Completed, info.Status);
            Assert.Equal(3 * ChunkSize, sent[0]);

            var target = Path.Combine(directory.FullName, "target.bin");
            await new BlobDownloader(fixture.Grains).DownloadAsync(id, target, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(payload, await File.ReadAllBytesAsync(target));

            // A resume with another file, or of an unknown id, is refused clearly.
            var other = Path.Combine(directory.FullName, "other.bin");
            await File.WriteAllBytesAsync(other, Payload(10_000, seed: 9));
            await Assert.ThrowsAsync<BlobTransferException>(() => new BlobUploader(fixture.Grains).UploadAsync(other, id, ChunkSize, resume: true, CancellationToken.None).WaitAsync(Timeout));
            var unknown = await Assert.ThrowsAsync<RpcException>(() => new BlobUploader(fixture.Grains).UploadAsync(source, $"{_run}-nope", ChunkSize, resume: true, CancellationToken.None).WaitAsync(Timeout));
            Assert.Equal(RpcStatus.NotFound, unknown.Status);
            await Assert.ThrowsAsync<BlobTransferException>(() => BlobUploader.DescribeAsync(Path.Combine(directory.FullName, "missing.bin"), ChunkSize, CancellationToken.None));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
