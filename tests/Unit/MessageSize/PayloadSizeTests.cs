using ReliableRpc.MessageSize.Internal;

namespace ReliableRpc.Tests.Unit.MessageSize;

public class PayloadSizeTests
{
    private sealed record Chunk(byte[] Data) : IPayloadSize
    {
        public long EstimatedBytes => Data.Length + 16;
    }

    [Fact]
    public void Estimate_KnownShapes_CountTheirBytes()
    {
        Assert.Equal(1_000, PayloadSize.Estimate(new byte[1_000], long.MaxValue));
        Assert.Equal(5, PayloadSize.Estimate("hello", long.MaxValue));
        Assert.Equal(300, PayloadSize.Estimate(new ReadOnlyMemory<byte>(new byte[300]), long.MaxValue));
        Assert.Equal(2_016, PayloadSize.Estimate(new Chunk(new byte[2_000]), long.MaxValue));
        Assert.Equal(3_000, PayloadSize.Estimate(new List<byte[]> { new byte[1_000], new byte[2_000] }, long.MaxValue));
    }

    [Fact]
    public void Estimate_LongNonAsciiString_CountsUtf8Bytes() =>
        Assert.Equal(3 * 2_000, PayloadSize.Estimate(new string('€', 2_000), limit: 1_000));

    [Fact]
    public void Estimate_HugeCollection_StopsOncePastTheLimit()
    {
        var many = Enumerable.Range(0, 1_000_000).Select(_ => new byte[10]);
        Assert.InRange(PayloadSize.Estimate(many, limit: 100), 101, 200);
    }

    [Theory]
    [InlineData(typeof(byte[]), true)]
    [InlineData(typeof(string), true)]
    [InlineData(typeof(List<int>), true)]
    [InlineData(typeof(ReadOnlyMemory<byte>), true)]
    [InlineData(typeof(long), false)]
    [InlineData(typeof(CancellationToken), false)]
    [InlineData(typeof(Guid), false)]
    public void MayBeLarge_OnlyForShapesThatCanBe(Type type, bool expected) => Assert.Equal(expected, PayloadSize.MayBeLarge(type));
}
