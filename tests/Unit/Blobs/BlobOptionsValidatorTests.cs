using Microsoft.Extensions.Options;
using ReliableRpc.Grains.Blobs;

namespace ReliableRpc.Tests.Unit.Blobs;

public class BlobOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(BlobOptions options, ReliableRpcOptions? rpc = null) =>
        new BlobOptionsValidator(Options.Create(rpc ?? new ReliableRpcOptions())).Validate(null, options);

    [Fact]
    public void Validate_Defaults_Succeeds() => Assert.True(Validate(new BlobOptions()).Succeeded);

    [Theory]
    [InlineData(nameof(BlobOptions.AbandonedAfter))]
    [InlineData(nameof(BlobOptions.SweepPeriod))]
    public void Validate_NonPositiveDuration_FailsNamingTheSetting(string setting)
    {
        var options = new BlobOptions();
        typeof(BlobOptions).GetProperty(setting)!.SetValue(options, TimeSpan.Zero);
        var result = Validate(options);
        Assert.True(result.Failed);
        Assert.Contains($"Blobs:{setting}", result.FailureMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1024 * 1024 + 1)]
    public void Validate_ChunkLimitOutOfRange_FailsNamingTheSetting(int maxChunkBytes) =>
        Assert.Contains("Blobs:MaxChunkBytes", Validate(new BlobOptions { MaxChunkBytes = maxChunkBytes }).FailureMessage);

    [Fact]
    public void Validate_ChunkThatWouldNotFitTheMessageLimit_FailsNamingBoth()
    {
        var rpc = new ReliableRpcOptions();
        rpc.MessageSize.MaxRequestBytes = 512 * 1024;
        var result = Validate(new BlobOptions(), rpc);
        Assert.Contains("Blobs:MaxChunkBytes", result.FailureMessage);
        Assert.Contains("ReliableRpc:MessageSize:MaxRequestBytes", result.FailureMessage);
    }
}
