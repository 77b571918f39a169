using Orleans.TestingHost;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Idempotency;

/// <summary>
/// Issue 23, finding 7: the link of the repeat horizon's argument that Orleans provides (see RepeatHorizon). A retry
/// queued behind a busy activation longer than its time to live (the response timeout) is dropped unrun, so no repeat
/// of a key can run later than MaxDeadline + the response timeout after its first run. A cluster of its own, with a
/// 2 s MaxDeadline and a 4 s response timeout, so the wait is short. In the shared cluster's collection all the same:
/// it calls EchoWithoutToken, whose attempts RetryTests counts with a process-wide meter listener, so the two must not
/// run at once (in parallel, a CI run counted 6 attempts where there were 2).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RepeatHorizonTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterFixture.StartAsync(1, new Dictionary<string, string>
    {
        ["ReliableRpc:Deadlines:MaxDeadline"] = "00:00:02",
        ["ReliableRpc:Deadlines:DefaultDeadline"] = "00:00:02",
        ["ReliableRpc:Retries:AttemptTimeout"] = "00:00:00.500",
        [ClusterFixture.ResponseTimeoutSetting] = "00:00:04",
    });

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task RetriesQueuedPastTheirTimeToLive_AreDroppedUnrun()
    {
        var echo = _cluster.Client.GetGrain<IFlakyEchoGrain>($"{_run}-queued");
        await echo.StallNext(TimeSpan.FromSeconds(7)).WaitAsync(Timeout);

        // A method without a token can only be abandoned: each attempt's timeout sends a retry, which queues behind the
        // stalled first attempt until the deadline ends the call at 2 s; the last is sent before then.
        var failure = await Assert.ThrowsAsync<RpcDeadlineExceededException>(() => echo.EchoWithoutToken("payload").WaitAsync(Timeout));
        Assert.Equal(RpcStatus.DeadlineExceeded, failure.Status);
        await Eventually.True(async () => await echo.GetStallsEnded() == 1, "the stalled attempt ended", Timeout);

        // The stall ended at ~7 s; every retry was sent by ~2 s and lived 4 s: none ran.
        Assert.Equal(["payload"], await echo.GetReceived().WaitAsync(Timeout));
    }
}
