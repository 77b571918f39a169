namespace ReliableRpc.Tests.Unit.Calls;

public class RpcCallTests
{
    [Fact]
    public void Deadline_Scopes_NestAndRestore()
    {
        Assert.Null(RpcCall.Current);
        using (RpcCall.Deadline(TimeSpan.FromSeconds(5)))
        {
            Assert.Equal(TimeSpan.FromSeconds(5), RpcCall.Current!.Timeout);
            using (RpcCall.Deadline(TimeSpan.FromSeconds(1)))
            {
                Assert.Equal(TimeSpan.FromSeconds(1), RpcCall.Current!.Timeout);
            }

            Assert.Equal(TimeSpan.FromSeconds(5), RpcCall.Current!.Timeout);
        }

        Assert.Null(RpcCall.Current);
    }

    [Fact]
    public async Task Deadline_Scope_FlowsIntoAwaitedWork()
    {
        using (RpcCall.Deadline(TimeSpan.FromSeconds(3)))
        {
            var seen = await Task.Run(() => RpcCall.Current?.Timeout);
            Assert.Equal(TimeSpan.FromSeconds(3), seen);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Deadline_NotPositive_IsRefused(int milliseconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RpcCall.Deadline(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void DeadlineAttribute_NotPositive_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeadlineAttribute(0));
}
