using ReliableRpc.Client.Commands;

namespace ReliableRpc.Tests.Unit.Client;

public class ByteSizeParserTests
{
    [Theory]
    [InlineData("65536", 65_536)]
    [InlineData("256KiB", 262_144)]
    [InlineData("256kib", 262_144)]
    [InlineData("64K", 65_536)]
    [InlineData("1MiB", 1_048_576)]
    [InlineData("1M", 1_048_576)]
    [InlineData("500KB", 500_000)]
    [InlineData("1 MB", 1_000_000)]
    [InlineData("12B", 12)]
    public void Parse_KnownForms_ReturnsBytes(string text, long expected)
    {
        Assert.Equal(expected, ByteSizeParser.Parse(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("big")]
    [InlineData("-5KiB")]
    [InlineData("1.5MiB")]
    [InlineData("99999999999999999999MiB")]
    public void Parse_BadForms_ReturnsNullWithError(string text)
    {
        Assert.Null(ByteSizeParser.Parse(text, out var error));
        Assert.NotNull(error);
    }
}
