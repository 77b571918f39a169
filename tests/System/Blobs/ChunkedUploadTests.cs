using System.Diagnostics;
using System.Security.Cryptography;
using ReliableRpc.Client.Blobs;
using ReliableRpc.Grains.Blobs;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Blobs;

/// <summary>Large payloads through real silos on Redis: a 50 MB round trip, and a kill -9 of the silo holding an upload.</summary>
public sealed class ChunkedUploadTests(ITestOutputHelper output) : IDisposable
{
    private const int FiftyMegabytes = 50_000_000;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("reliablerpc-blobs-");

    public void Dispose() => _directory.Delete(recursive: true);

    private async Task<string> WriteRandomFileAsync(string name, int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        var path = Path.Combine(_directory.FullName, name);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private static async Task<bool> SameBytesAsync(string a, string b)
    {
        var (first, second) = (await File.ReadAllBytesAsync(a), await File.ReadAllBytesAsync(b));
        return first.AsSpan().SequenceEqual(second);
    }

    private static async Task<string> Sha256Async(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }

    [Fact]
    public async Task FiftyMegabytes_ThroughTwoSilosOnRedis_ComeBackIdentical_WithTheChecksumVerified()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        var source = await WriteRandomFileAsync("source.bin", FiftyMegabytes, seed: 50);
        var target = Path.Combine(_directory.FullName, "target.bin");
        var id = $"round-trip-{Guid.NewGuid():N}";

        var uploading = Stopwatch.StartNew();
        var uploaded = await new BlobUploader(connection.Client).UploadAsync(source, id, BlobChunking.DefaultChunkSize, resume: false, timeout.Token);
        uploading.Stop();
        var downloading = Stopwatch.StartNew();
        var downloaded = await new BlobDownloader(connection.Client).DownloadAsync(id, target, timeout.Token);
        downloading.Stop();

        output.WriteLine($"50 MB in 256 KiB chunks, 2 silos on Redis: upload {uploading.Elapsed.TotalSeconds:0.0} s ({FiftyMegabytes / 1e6 / uploading.Elapsed.TotalSeconds:0.0} MB/s, checksum verified by the silo), " +
            $"download {downloading.Elapsed.TotalSeconds:0.0} s ({FiftyMegabytes / 1e6 / downloading.Elapsed.TotalSeconds:0.0} MB/s, checksum verified by the client)");
        Assert.Equal(BlobStatus.Completed, uploaded.Status);
        Assert.Equal(FiftyMegabytes, downloaded.Spec.TotalLength);
        Assert.Equal(await Sha256Async(source), downloaded.Spec.Sha256);
        Assert.Equal(await Sha256Async(source), await Sha256Async(target));
        Assert.True(await SameBytesAsync(source, target), "the downloaded bytes differ");
    }

    [Fact]
    public async Task KillOfTheSiloHoldingTheUpload_MidUpload_TheUploadResumesElsewhere_AndCompletesIntact()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var connection = await cluster.ConnectAsync(timeout.Token);
        var length = 20_000_000;
        var source = await WriteRandomFileAsync("source.bin", length, seed: 9);
        var id = $"kill-{Guid.NewGuid():N}";
        var grain = connection.Client.GetGrain<IBlobUploadGrain>(id);
        var management = connection.Client.GetGrain<IManagementGrain>(0);

        Task? killing = null;
        int? killed = null;
        var longestChunk = TimeSpan.Zero;
        var sinceLast = Stopwatch.StartNew();
        var uploader = new BlobUploader(connection.Client)
        {
            BeforeChunk = async offset =>
            {
                longestChunk = sinceLast.Elapsed > longestChunk ? sinceLast.Elapsed : longestChunk;
                sinceLast.Restart();
                if (killing is null && offset >= length * 2L / 5)
                {
                    // kill -9 of the silo the upload lives on, landing while the next append is in flight.
                    var host = await management.GetActivationAddress(grain);
                    killed = Enumerable.Range(0, cluster.Count).Single(i => cluster.SiloPort(i) == host!.Endpoint.Port);
                    output.WriteLine($"at offset {offset:N0}: killing silo {killed}, which holds the upload");
                    killing = Task.Run(async () =>
                    {
                        await Task.Delay(20);
                        await cluster.KillSiloAsync(killed.Value);
                    });
                }
            },
        };

        var uploading = Stopwatch.StartNew();
        var info = await uploader.UploadAsync(source, id, BlobChunking.DefaultChunkSize, resume: false, timeout.Token);
        uploading.Stop();
        await killing!;

        var survivor = await management.GetActivationAddress(grain);
        output.WriteLine($"upload completed in {uploading.Elapsed.TotalSeconds:0.0} s; longest gap between chunks {longestChunk.TotalMilliseconds:0} ms; {uploader.Resyncs} resyncs by the client (the rest was retried by the pipeline); the upload now lives on port {survivor?.Endpoint.Port}");
        Assert.NotNull(killed);
        Assert.False(cluster.IsRunning(killed!.Value));
        Assert.Equal(BlobStatus.Completed, info.Status);
        Assert.Equal(await Sha256Async(source), info.Spec.Sha256);

        var target = Path.Combine(_directory.FullName, "target.bin");
        await new BlobDownloader(connection.Client).DownloadAsync(id, target, timeout.Token);
        Assert.True(await SameBytesAsync(source, target), "the downloaded bytes differ");
    }
}
