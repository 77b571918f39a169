using ReliableRpc.Retries.Internal;

namespace ReliableRpc.Tests.Unit.Retries;

public class FullJitterBackoffTests
{
    [Theory]
    [InlineData(1, 50)]
    [InlineData(2, 100)]
    [InlineData(3, 200)]
    [InlineData(4, 400)]
    [InlineData(5, 800)]
    [InlineData(6, 1000)]
    [InlineData(40, 1000)]
    public void Ceiling_Interactive_DoublesUpToTheCap(int retry, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), FullJitterBackoff.Ceiling(retry, RetryProfile.CreateInteractive()));

    [Fact]
    public void Delay_ManySamples_StayWithinZeroAndTheCeiling()
    {
        var random = new Random(42);
        var profile = RetryProfile.CreateInteractive();
        for (var retry = 1; retry <= 8; retry++)
        {
            var delays = Enumerable.Range(0, 1_000).Select(_ => FullJitterBackoff.Delay(retry, profile, random.NextDouble())).ToArray();
            Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, FullJitterBackoff.Ceiling(retry, profile)));

            // Full jitter: spread over the whole range, not bunched near the ceiling.
            Assert.Contains(delays, d => d < FullJitterBackoff.Ceiling(retry, profile) / 4);
            Assert.Contains(delays, d => d > FullJitterBackoff.Ceiling(retry, profile) * 3 / 4);
        }
    }

    [Fact]
    public void Ceiling_Batch_WaitsLongerAndCapsAtTenSeconds()
    {
        var batch = RetryProfile.CreateBatch();
        Assert.Equal(TimeSpan.FromMilliseconds(500), FullJitterBackoff.Ceiling(1, batch));
        Assert.Equal(TimeSpan.FromSeconds(10), FullJitterBackoff.Ceiling(7, batch));
        Assert.Equal(8, batch.MaxAttempts);
    }
}
