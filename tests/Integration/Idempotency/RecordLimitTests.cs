using Orleans.TestingHost;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Idempotency;

/// <summary>
/// A cluster of its own whose grains may carry at most 5 idempotency records, all of them younger than the repeat horizon
/// here: a grain at the limit refuses new keys, still answers repeats, and its neighbours are not affected.
/// </summary>
public sealed class RecordLimitTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterFixture.StartAsync(1, new Dictionary<string, string>
    {
        ["ReliableRpc:Idempotency:MaxRecords"] = "3",
        ["ReliableRpc:Idempotency:RecordLimit"] = "5",

        // The refusal reaches the test as it is, not after a wait for its RetryAfter.
        ["ReliableRpc:Retries:Enabled"] = "false",
    });

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private async Task<int> Add(IKeyedCounterGrain counter, string key)
    {
        using (RpcCall.IdempotencyKey($"{_run}-{key}"))
        {
            return await counter.Add(1).WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task AGrainAtItsRecordLimit_RefusesNewKeysWithResourceExhausted_ButAnswersRepeats()
    {
        var hot = _cluster.Client.GetGrain<IKeyedCounterGrain>($"{_run}-hot");
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(i, await Add(hot, $"k{i}"));
        }

        var refusal = await Assert.ThrowsAsync<RpcException>(() => Add(hot, "k6"));
        var repeat = await Add(hot, "k2");
        var neighbour = await Add(_cluster.Client.GetGrain<IKeyedCounterGrain>($"{_run}-cold"), "k6");

        Assert.Equal(RpcStatus.ResourceExhausted, refusal.Status);
        Assert.Contains("Idempotency:RecordLimit", refusal.Detail);
        Assert.Equal("Idempotency:RecordLimit", refusal.Metadata[RpcException.QuotaKey]);
        // At most the repeat horizon: MaxDeadline + the response timeout (MaxDeadline + 2 s) + the clock skew allowed.
        var maxDeadline = new ReliableRpcOptions().Deadlines.MaxDeadline;
        Assert.InRange(refusal.RetryAfter!.Value, TimeSpan.FromMilliseconds(100), maxDeadline + maxDeadline + TimeSpan.FromSeconds(2) + IdempotencyOptions.DefaultClockSkewAllowance);
        Assert.Equal(2, repeat);
        Assert.Equal(1, neighbour);
        Assert.Equal((5, 5), await hot.Get().WaitAsync(Timeout));
    }
}
