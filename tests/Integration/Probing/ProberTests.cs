using System.Diagnostics;
using ReliableRpc.Grains.Probing;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Probing;

[Collection(ClusterCollection.Name)]
public sealed class ProberTests(ClusterFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private ProbeTarget _target = null!;

    public Task InitializeAsync()
    {
        _target = new ProbeTarget();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _target.DisposeAsync();

    private Task<ProbeReport> Probe(string url, int count, TimeSpan perRequest) =>
        fixture.Grains.GetGrain<IProberGrain>("prober").Probe(new ProbeRequest(url, count, perRequest)).WaitAsync(Timeout);

    [Fact]
    public async Task FastEndpoint_AllSucceedWithLatencies()
    {
        var report = await Probe(_target.Url("fast"), 5, TimeSpan.FromSeconds(1));

        Assert.Equal((5, 5), (report.Requested, report.Succeeded));
        Assert.Empty(report.FailuresByStatus);
        Assert.True(report.Max >= report.Median && report.Median > TimeSpan.Zero);
    }

    [Fact]
    public async Task SlowEndpoint_ShorterPerRequestTimeout_FailsEachWithDeadlineExceeded()
    {
        var report = await Probe(_target.Url("slow"), 3, TimeSpan.FromMilliseconds(100));

        Assert.Equal(0, report.Succeeded);
        Assert.Equal(3, report.FailuresByStatus[RpcStatus.DeadlineExceeded]);
    }

    [Fact]
    public async Task ServerErrors_AndRefusedConnections_MapToTheirStatuses()
    {
        var errors = await Probe(_target.Url("500"), 2, TimeSpan.FromSeconds(1));
        var refused = await Probe($"http://127.0.0.1:{FreePorts.Next()}/", 2, TimeSpan.FromSeconds(1));

        Assert.Equal(2, errors.FailuresByStatus[RpcStatus.Internal]);
        Assert.Equal(2, refused.FailuresByStatus[RpcStatus.Unavailable]);
    }

    [Fact]
    public async Task HangingEndpoint_EndsTheProbeAtTheDeadline_WithPartialResults_AndNoRequestLeftOpen()
    {
        var clock = Stopwatch.StartNew();
        RpcDeadlineExceededException error;
        using (RpcCall.Deadline(TimeSpan.FromMilliseconds(800)))
        {
            error = await Assert.ThrowsAsync<RpcDeadlineExceededException>(() => Probe(_target.Url("hang"), 3, TimeSpan.FromSeconds(10)));
        }

        Assert.Equal(RpcStatus.DeadlineExceeded, error.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(800) + TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        await Eventually.True(() => Task.FromResult(_target.InFlight == 0), "the endpoint saw every request closed");
    }

    [Fact]
    public async Task BadUrl_FailsWithInvalidArgument()
    {
        // The grain's ArgumentException arrives as thrown; its status is readable without a catch per type.
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Probe("ftp://nowhere/", 1, TimeSpan.FromSeconds(1)));
        Assert.Equal(RpcStatus.InvalidArgument, RpcStatus.Of(error));
    }
}
