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

    [Fact]
    public async Task Detach_ClearsTheIncomingCallForTheWorkInside_AndRestoresIt()
    {
        var incoming = new IncomingRpcCall(TimeProvider.System, TimeSpan.FromSeconds(10), TimeProvider.System.GetTimestamp(), attempt: 1);
        RpcCall.SetIncoming(incoming);
        try
        {
            Task<IncomingRpcCall?> alongside;
            using (RpcCall.Detach())
            {
                Assert.Null(RpcCall.Incoming);

                // Work started inside the scope keeps the detached flow after the scope has ended.
                alongside = Task.Run(async () =>
                {
                    await Task.Yield();
                    return RpcCall.Incoming;
                });
            }

            Assert.Same(incoming, RpcCall.Incoming);
            Assert.Null(await alongside);
        }
        finally
        {
            RpcCall.SetIncoming(null);
        }
    }

    [Fact]
    public void IncomingCall_IsNotCompletedUntilMarked()
    {
        var incoming = new IncomingRpcCall(TimeProvider.System, TimeSpan.FromSeconds(10), TimeProvider.System.GetTimestamp(), attempt: 1);

        Assert.False(incoming.Completed);
        incoming.Complete();
        Assert.True(incoming.Completed);
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
