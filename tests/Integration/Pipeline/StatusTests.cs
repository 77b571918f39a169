using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Pipeline;

[Collection(ClusterCollection.Name)]
public class StatusTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task RpcException_ThrownInSilo_ArrivesWithEveryField()
    {
        var grain = fixture.Grains.GetGrain<IChaosGrain>($"{_run}-rpc");

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            grain.ThrowRpc(RpcStatus.ResourceExhausted, "queue full, try later", false, TimeSpan.FromMilliseconds(750)).WaitAsync(Timeout));

        Assert.Equal(RpcStatus.ResourceExhausted, error.Status);
        Assert.Equal("queue full, try later", error.Detail);
        Assert.Equal(TimeSpan.FromMilliseconds(750), error.RetryAfter);
        Assert.False(error.NotExecuted);
        Assert.False(error.ClientGenerated);
    }

    [Theory]
    [InlineData(nameof(ArgumentException), RpcStatus.InvalidArgument)]
    [InlineData(nameof(ArgumentOutOfRangeException), RpcStatus.InvalidArgument)]
    [InlineData(nameof(KeyNotFoundException), RpcStatus.NotFound)]
    [InlineData(nameof(NotImplementedException), RpcStatus.Unimplemented)]
    [InlineData(nameof(UnauthorizedAccessException), RpcStatus.PermissionDenied)]
    [InlineData(nameof(InvalidOperationException), RpcStatus.Unknown)]
    public async Task ApplicationException_InSilo_ReachesCallerAsThrown_WithItsStatusReadable(string exceptionType, RpcStatus expected)
    {
        // Issue 24: the caller catches what the grain threw, as in plain Orleans (before: RpcException with it inside).
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            fixture.Grains.GetGrain<IChaosGrain>($"{_run}-{exceptionType}").Throw(exceptionType).WaitAsync(Timeout));

        Assert.Equal(exceptionType, error.GetType().Name);
        Assert.Equal(expected, RpcStatus.Of(error));
        Assert.False(error.IsNotExecuted());
    }

    [Fact]
    public async Task NotExecutedFailure_DeepInAChain_ReachesClientWithoutTheFlag()
    {
        var plan = new RelayPlan([$"{_run}-b", $"{_run}-c"], LastHopAction.Fail, RpcStatus.Unavailable, FailNotExecuted: true);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Grains.GetGrain<IChaosGrain>($"{_run}-a").Relay(plan).WaitAsync(Timeout));

        // The first hop ran (and called on): its caller must not retry it as if nothing happened.
        Assert.Equal(RpcStatus.Unavailable, error.Status);
        Assert.False(error.NotExecuted);
    }
}
