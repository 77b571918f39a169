using System.Security.Cryptography;
using Orleans.TestingHost;
using ReliableRpc.Grains.Blobs;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Blobs;

/// <summary>
/// Abandoned uploads are deleted, chunks and metadata; complete and recently active ones are kept. A cluster of its
/// own on the fake upload clock (<see cref="BlobClock"/>): the test ages uploads by a day without waiting. The
/// reminder that checks still ticks on real time — Orleans' reminder service has no clock to fake — so its period is
/// 1 s here, and the test waits a few real seconds for ticks.
/// </summary>
public sealed class BlobCleanupTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterFixture.StartAsync(2, new Dictionary<string, string>
    {
        [BlobClock.Setting] = "fake",
        ["Blobs:AbandonedAfter"] = "1.00:00:00",
        ["Blobs:SweepPeriod"] = "00:00:01",
    });

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private IBlobUploadGrain Upload(string name) => _cluster.Client.GetGrain<IBlobUploadGrain>($"{_run}-{name}");

    [Fact]
    public async Task AbandonedUpload_IsDeletedAfterAbandonedAfter_ChunksThenMetadata_CompleteAndActiveOnesAreKept()
    {
        var payload = new byte[3_000];
        new Random(1).NextBytes(payload);
        var spec = new BlobSpec(payload.Length, Convert.ToHexStringLower(SHA256.HashData(payload)), 1024);

        var abandoned = Upload("abandoned");
        await abandoned.Create(spec).WaitAsync(Timeout);
        await abandoned.Append(0, payload[..1024]).WaitAsync(Timeout);
        await abandoned.Append(1024, payload[1024..2048]).WaitAsync(Timeout);

        var complete = Upload("complete");
        await complete.Create(spec).WaitAsync(Timeout);
        for (var offset = 0; offset < payload.Length; offset += 1024)
        {
            await complete.Append(offset, payload[offset..Math.Min(offset + 1024, payload.Length)]).WaitAsync(Timeout);
        }

        await complete.Complete().WaitAsync(Timeout);
        Assert.Equal(2, SharedGrainStorage.CountStored($"blobchunk/{_run}-abandoned/"));

        // A day and a minute later by the uploads' clock; a new upload starts just then.
        BlobClock.Fake.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var active = Upload("active");
        await active.Create(spec).WaitAsync(Timeout);
        await active.Append(0, payload[..1024]).WaitAsync(Timeout);

        await Eventually.True(async () => SharedGrainStorage.CountStored($"{_run}-abandoned") == 0, "the abandoned upload's chunks and metadata are deleted", Timeout);
        Assert.Equal(RpcStatus.NotFound, (await Assert.ThrowsAsync<RpcException>(() => abandoned.GetInfo().WaitAsync(Timeout))).Status);

        // Let the active upload's reminder tick a few times: not abandoned, it stays.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1024, (await active.GetInfo().WaitAsync(Timeout)).CommittedOffset);
        Assert.Equal(payload, await complete.Read(0, payload.Length).WaitAsync(Timeout));
        Assert.Equal(3, SharedGrainStorage.CountStored($"blobchunk/{_run}-complete/"));
    }
}
