using Orleans.Runtime;
using Orleans.TestingHost;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Pipeline;

/// <summary>
/// A cluster of its own with a small shedding cap (4 client calls per silo) and client retries off, so the
/// refusals reach the test as they are.
/// </summary>
public sealed class SheddingAndSizeTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterFixture.StartAsync(2, new Dictionary<string, string>
    {
        ["ReliableRpc:Shedding:MaxConcurrentClientCalls"] = "4",
        ["ReliableRpc:Retries:Enabled"] = "false",
    });

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private IChaosGrain Chaos(string key) => _cluster.Client.GetGrain<IChaosGrain>(key);

    [Fact]
    public async Task PastTheCap_ClientCallsAreShedWithPushback_WhileHopsInProgressFinish()
    {
        // A chain already running: its hops are calls between grains, which are never shed.
        var chain = Chaos("chain-a").Relay(new RelayPlan(["chain-b", "chain-c"], LastHopAction.Succeed, PauseAtEachHop: TimeSpan.FromMilliseconds(400)));
        // Let it through the gate before the flood (its first hop pauses 400 ms): on a busy machine 50 ms was not
        // always enough, and the chain's own client call was shed with the flood.
        await Task.Delay(250);

        // 30 hanging client calls on 30 grains: at most 4 per silo run, the rest are refused before dispatch.
        var flood = Enumerable.Range(0, 30).Select(i => Chaos($"flood-{i}").Hang(TimeSpan.FromSeconds(2))).ToArray();
        var outcomes = await Task.WhenAll(flood.Select(async call =>
        {
            try
            {
                await call.WaitAsync(Timeout);
                return null;
            }
            catch (RpcException refused)
            {
                return refused;
            }
        }));

        var shed = outcomes.Where(o => o is not null).ToList();
        Assert.InRange(outcomes.Count(o => o is null), 1, 8);
        Assert.NotEmpty(shed);
        Assert.All(shed, e =>
        {
            Assert.Equal(RpcStatus.ResourceExhausted, e!.Status);
            Assert.True(e.NotExecuted);
            Assert.Equal(TimeSpan.FromMilliseconds(200), e.RetryAfter);
        });

        var hops = await chain.WaitAsync(Timeout);
        Assert.Equal(3, hops.Count);

        // The silos still answer (through another interface: the client's circuit for IChaosGrain may well have
        // opened on so much ResourceExhausted, which is what it is for), and both are still active members.
        var echo = _cluster.Client.GetGrain<IFlakyEchoGrain>("after-flood");
        Assert.Equal("alive", await echo.Echo("alive").WaitAsync(Timeout));
        var hosts = await _cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Timeout);
        Assert.Equal(2, hosts.Count);
    }

    [Fact]
    public async Task OversizeRequestAndResponse_FailClearly_WhileFiftyNormalCallsOnTheSameConnectionSucceed()
    {
        var normal = Enumerable.Range(0, 50).Select(i => Chaos($"normal-{i % 3}").Swallow(new byte[1_000])).ToArray();

        var request = await Assert.ThrowsAsync<RpcException>(() => Chaos("big").Swallow(new byte[5 * 1024 * 1024]).WaitAsync(Timeout));
        var response = await Assert.ThrowsAsync<RpcException>(() => Chaos("big").Produce(5 * 1024 * 1024).WaitAsync(Timeout));

        Assert.Equal(RpcStatus.ResourceExhausted, request.Status);
        Assert.True(request.NotExecuted);
        Assert.Contains("MaxRequestBytes", request.Detail);
        Assert.Equal(RpcStatus.ResourceExhausted, response.Status);
        Assert.False(response.NotExecuted);
        Assert.Contains("MaxResponseBytes", response.Detail);
        Assert.All(await Task.WhenAll(normal).WaitAsync(Timeout), length => Assert.Equal(1_000, length));
        Assert.Equal(1, (await Chaos("big").GetCounters()).Executions);
    }
}
