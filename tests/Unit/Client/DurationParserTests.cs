using ReliableRpc.Client.Commands;

namespace ReliableRpc.Tests.Unit.Client;

public class DurationParserTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("00:00:30", 30_000)]
    public void Parse_KnownForms_ReturnsDuration(string text, double milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), DurationParser.Parse(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("-5s")]
    [InlineData("0ms")]
    [InlineData("")]
    public void Parse_BadOrNonPositive_ReturnsNullWithError(string text)
    {
        Assert.Null(DurationParser.Parse(text, out var error));
        Assert.NotNull(error);
    }
}
