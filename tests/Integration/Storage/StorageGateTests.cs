using Orleans.TestingHost;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Storage;

/// <summary>
/// The storage gate on a silo whose storage stops answering (writes held by the test's storage). One silo, so every
/// grain is behind the same gate; no retries, so each call's own outcome reaches the test. The sampling window is
/// shorter than the stall threshold, so the activations' successful reads have left it when the held writes fail, and
/// the break is long enough for the checks made while the gate is open.
/// </summary>
public sealed class StorageGateTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterFixture.StartAsync(1, new Dictionary<string, string>
    {
        ["ReliableRpc:Retries:Enabled"] = "false",
        ["ReliableRpc:StorageGate:StallThreshold"] = "00:00:02",
        ["ReliableRpc:StorageGate:SamplingDuration"] = "00:00:01",
        ["ReliableRpc:StorageGate:BreakDuration"] = "00:00:05",
        ["ReliableRpc:StorageGate:MinimumThroughput"] = "2",
    });

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private IIdempotencyProbeGrain Probe(string name) => _cluster.Client.GetGrain<IIdempotencyProbeGrain>($"{_run}-{name}");

    private static Task<int> Keyed(IIdempotencyProbeGrain probe, string key, int amount)
    {
        using (RpcCall.IdempotencyKey(key))
        {
            return probe.Add(amount);
        }
    }

    [Fact]
    public async Task StalledWrites_FailUnknown_ThenNewEffectsAreRefusedBeforeTheyRun_ReadsAreServed_AndAProbeClosesTheGate()
    {
        // Active before storage stops answering: its reads need no storage (activating a grain does, and is refused while
        // the gate is open).
        var other = Probe("c");
        Assert.Equal((0, 0), await other.Get().WaitAsync(Timeout));
        var account = _cluster.Client.GetGrain<IAccountGrain>($"{_run}-account");
        await account.GetBalance().WaitAsync(Timeout);
        var holds = new[] { "a", "b" }.Select(n => SharedGrainStorage.HoldNextWrite($"{_run}-{n}")).ToArray();
        var stalled = new[] { "a", "b" }.Select(n => Keyed(Probe(n), $"{_run}-{n}-add", 1)).ToArray();

        // Each held write counts as failed after the stall threshold: its caller is told the outcome is unknown then,
        // not at its deadline (10 s).
        foreach (var call in stalled)
        {
            var unknown = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(Timeout));
            Assert.Equal(RpcStatus.Unknown, unknown.Status);
            Assert.False(unknown.NotExecuted);
        }

        // Two stalled writes opened the gate: a new effect is refused before it runs, and says so.
        var refused = await Assert.ThrowsAsync<RpcException>(() => Keyed(other, $"{_run}-c-add", 3).WaitAsync(Timeout));
        Assert.Equal(RpcStatus.Unavailable, refused.Status);
        Assert.True(refused.NotExecuted, refused.Message);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.RetryAfter);
        Assert.Equal((0, 0), await other.Get().WaitAsync(Timeout));
        Assert.Equal(0, SharedGrainStorage.WritesOf($"{_run}-c"));

        // A method that changes state and writes it without the guard: it ran, its write was not sent. Unavailable with
        // the break as RetryAfter, not NotExecuted; the activation is dropped, so its changed memory answers nothing.
        var unsent = await Assert.ThrowsAsync<RpcException>(() => account.SetFrozen(true).WaitAsync(Timeout));
        Assert.Equal(RpcStatus.Unavailable, unsent.Status);
        Assert.False(unsent.NotExecuted, unsent.Message);
        Assert.Equal(TimeSpan.FromSeconds(5), unsent.RetryAfter);

        // A grain that is not active cannot be read while storage is out: its activation is refused at once, saying
        // that nothing ran (as Orleans delivers it: the provider's failure wrapped in an OrleansException).
        var inactive = await Assert.ThrowsAnyAsync<Exception>(() => Probe("d").Get().WaitAsync(Timeout));
        Assert.Equal(RpcStatus.Unavailable, RpcStatus.Of(inactive));
        Assert.True(inactive.IsNotExecuted(), inactive.ToString());

        // Storage answers again: the held writes commit late. After the break a write is let through as the probe, and
        // its success closes the gate; the same key then runs once.
        foreach (var hold in holds)
        {
            hold.Release();
        }

        var answered = 0;
        await Eventually.True(async () =>
        {
            try
            {
                answered = await Keyed(other, $"{_run}-c-add", 3).WaitAsync(Timeout);
                return true;
            }
            catch (RpcException again) when (again is { Status: RpcStatus.Unavailable, NotExecuted: true })
            {
                return false;
            }
        }, "a keyed write succeeds once the break is over", TimeSpan.FromSeconds(20));
        Assert.Equal(3, answered);
        Assert.Equal((3, 1), await other.Get().WaitAsync(Timeout));

        // The stalled calls' activations were deactivated; their writes did commit, and a repeat replays them.
        foreach (var name in new[] { "a", "b" })
        {
            Assert.Equal(1, await Keyed(Probe(name), $"{_run}-{name}-add", 1).WaitAsync(Timeout));
            Assert.Equal(0, (await Probe(name).Get().WaitAsync(Timeout)).BodyRuns);
        }
    }
}
