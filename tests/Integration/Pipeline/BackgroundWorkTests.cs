using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Pipeline;

[Collection(ClusterCollection.Name)]
public class BackgroundWorkTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task BackgroundWorkInheritsAFinishedCallsDeadline_NoLonger_ItsLaterCallIsAnEdge()
    {
        // Issue 24, finding 5: work a grain method starts and does not await inherits the call's async flow. Once
        // that call has returned, its calls are the work's own: an edge, retried, not a hop bound to a finished
        // call's deadline (refused "deadline of -1004 ms exceeded before calling" 11 s later) and never retried.
        var caller = fixture.Grains.GetGrain<IBackgroundCallerGrain>($"{_run}-background");
        var echo = fixture.Grains.GetGrain<IFlakyEchoGrain>($"{_run}-background-echo");

        await caller.StartBackgroundCall($"{_run}-background-echo", "after the call").WaitAsync(Timeout);
        await caller.Release().WaitAsync(Timeout);
        await Eventually.True(async () => await caller.GetOutcome() is not null, "the background call ended", Timeout);

        // The echo fails its first execution after running: only an edge retries that.
        Assert.Equal("after the call", await caller.GetOutcome());
        Assert.Equal(["after the call", "after the call"], await echo.GetReceived().WaitAsync(Timeout));
    }
}
