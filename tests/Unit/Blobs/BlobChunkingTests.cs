using ReliableRpc.Grains.Blobs;

namespace ReliableRpc.Tests.Unit.Blobs;

public class BlobChunkingTests
{
    private static readonly string Sha = new('a', 64);

    [Theory]
    [InlineData(0, 1024, 0)]
    [InlineData(1, 1024, 1)]
    [InlineData(1024, 1024, 1)]
    [InlineData(1025, 1024, 2)]
    [InlineData(50_000_000, 262_144, 191)]
    public void ChunkCount_RoundsUp(long total, int chunkSize, long expected) =>
        Assert.Equal(expected, BlobChunking.ChunkCount(total, chunkSize));

    [Theory]
    [InlineData(2500, 0, 1024)]
    [InlineData(2500, 1, 1024)]
    [InlineData(2500, 2, 452)]
    [InlineData(2500, 3, 0)]
    [InlineData(2048, 1, 1024)]
    public void ChunkLength_IsTheChunkSizeExceptForTheLast(long total, long index, int expected) =>
        Assert.Equal(expected, BlobChunking.ChunkLength(total, 1024, index));

    [Theory]
    [InlineData(0, true)]
    [InlineData(1024, true)]
    [InlineData(2500, true)]
    [InlineData(1000, false)]
    [InlineData(-1024, false)]
    [InlineData(3072, false)]
    public void IsChunkStart_AcceptsBoundariesAndTheEnd_Only(long offset, bool expected) =>
        Assert.Equal(expected, BlobChunking.IsChunkStart(new BlobSpec(2500, Sha, 1024), offset));

    [Fact]
    public void ChunkLengthAt_TheLastChunk_IsWhatIsLeft() =>
        Assert.Equal(452, BlobChunking.ChunkLengthAt(new BlobSpec(2500, Sha, 1024), 2048));

    [Fact]
    public void Problem_ValidSpec_IsNull() =>
        Assert.Null(BlobChunking.Problem(new BlobSpec(50_000_000, Sha.ToUpperInvariant(), BlobChunking.DefaultChunkSize)));

    [Theory]
    [InlineData(-1, 1024, "total length")]
    [InlineData(100, 0, "chunk size")]
    [InlineData(100, 1024 * 1024 + 1, "chunk size")]
    [InlineData(long.MaxValue, 1, "too many chunks")]
    public void Problem_BadLengthOrChunkSize_IsNamed(long total, int chunkSize, string expected) =>
        Assert.Contains(expected, BlobChunking.Problem(new BlobSpec(total, Sha, chunkSize)));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void Problem_NotASha256_IsNamed(string sha) =>
        Assert.Contains("SHA-256", BlobChunking.Problem(new BlobSpec(100, sha, 1024)));

    [Fact]
    public void Problem_ChunkSizeOverTheSilosLimit_IsNamed() =>
        Assert.Contains("between 1 and 65,536", BlobChunking.Problem(new BlobSpec(100, Sha, 65_537), maxChunkSize: 65_536));

    [Fact]
    public void SameAs_IgnoresChecksumCase_ButNotChunkSize()
    {
        var spec = new BlobSpec(100, Sha, 1024);
        Assert.True(spec.SameAs(spec with { Sha256 = Sha.ToUpperInvariant() }));
        Assert.False(spec.SameAs(spec with { ChunkSize = 512 }));
    }

    [Fact]
    public void CommittedOffset_RoundTripsThroughTheExceptionsMetadata()
    {
        var failure = BlobErrors.WrongOffset("resume at 4,096", 4096);
        Assert.Equal(RpcStatus.FailedPrecondition, failure.Status);
        Assert.Equal(4096, BlobErrors.CommittedOffset(failure));
        Assert.Equal(4096, BlobErrors.CommittedOffset(failure.AsExecuted()));
        Assert.Null(BlobErrors.CommittedOffset(new RpcException(RpcStatus.FailedPrecondition, "no offset")));
    }
}
