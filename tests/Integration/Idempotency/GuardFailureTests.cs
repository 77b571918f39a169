using Orleans.TestingHost;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Idempotency;

/// <summary>
/// The idempotency guard when a keyed call fails: its write, or its effect with a transient status. A cluster of
/// its own without retries, so each call's own outcome reaches the test instead of a retry's.
/// </summary>
public sealed class GuardFailureTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterFixture.StartAsync(1, new Dictionary<string, string>
    {
        ["ReliableRpc:Retries:Enabled"] = "false",
        // The tests hold writes while they look at the guard: the storage gate must not let them go (StorageGateTests).
        ["ReliableRpc:StorageGate:StallThreshold"] = "00:01:00",
    });

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private IIdempotencyProbeGrain Probe(string name) => _cluster.Client.GetGrain<IIdempotencyProbeGrain>(name);

    private static async Task<string> Outcome(Task<int> call)
    {
        try
        {
            return $"answered {await call.WaitAsync(Timeout)}";
        }
        catch (Exception failure) when (failure.GetType() != typeof(TimeoutException))
        {
            return $"failed with {RpcStatus.Of(failure)}";
        }
    }

    [Fact]
    public async Task IdempotencyGuardOnReentrantGrains_ARepeatDuringTheWrite_SharesTheWritesFailure_NotItsUnstoredAnswer()
    {
        var name = $"{_run}-interleaved";
        var probe = Probe(name);
        var hold = SharedGrainStorage.HoldNextWrite(name);
        Task<int> first, repeat;
        using (RpcCall.IdempotencyKey($"{name}-add"))
        {
            first = probe.Add(7);
        }

        await hold.Started.WaitAsync(Timeout);
        using (RpcCall.IdempotencyKey($"{name}-add"))
        {
            repeat = probe.Add(7);
        }

        // Both have been through the guard while the first's write is in flight; then that write fails, storing nothing.
        await probe.WaitForAdditions(2).WaitAsync(Timeout);
        hold.Release(SharedGrainStorage.WriteFault.BeforeCommit);

        Assert.Equal("failed with Unknown", await Outcome(first));
        Assert.Equal(0, SharedGrainStorage.WritesOf(name));
        // Answered 7, the repeat's caller would hold an acknowledged addition that was never stored.
        Assert.Equal("failed with Unknown", await Outcome(repeat));

        // The next repeat runs on the stored state (the failed activation is gone) and applies once.
        using (RpcCall.IdempotencyKey($"{name}-add"))
        {
            Assert.Equal("answered 7", await Outcome(probe.Add(7)));
        }

        Assert.Equal((7, 1), await probe.Get().WaitAsync(Timeout));
        Assert.Equal(1, SharedGrainStorage.WritesOf(name));
    }

    [Fact]
    public async Task ARepeatWithOtherArgumentsDuringTheWrite_IsRefusedAfterIt()
    {
        var name = $"{_run}-mismatch";
        var probe = Probe(name);
        var hold = SharedGrainStorage.HoldNextWrite(name);
        Task<int> first, other;
        using (RpcCall.IdempotencyKey($"{name}-add"))
        {
            first = probe.Add(7);
        }

        await hold.Started.WaitAsync(Timeout);
        using (RpcCall.IdempotencyKey($"{name}-add"))
        {
            other = probe.Add(8);
        }

        await probe.WaitForAdditions(2).WaitAsync(Timeout);
        hold.Release();

        Assert.Equal("answered 7", await Outcome(first));
        Assert.Equal("failed with InvalidArgument", await Outcome(other));
        Assert.Equal((7, 1), await probe.Get().WaitAsync(Timeout));
    }

    [Fact]
    public async Task TheGuardDoesNotStoreTransientFailuresAsTheKeysOutcome_ARepeatRunsAgainAndAppliesOnce()
    {
        var probe = Probe($"{_run}-transient");
        await probe.FailNextAddition(RpcStatus.Unavailable).WaitAsync(Timeout);
        string failed, repeated;
        using (RpcCall.IdempotencyKey($"{_run}-transient-add"))
        {
            failed = await Outcome(probe.Add(5));
        }

        using (RpcCall.IdempotencyKey($"{_run}-transient-add"))
        {
            repeated = await Outcome(probe.Add(5));
        }

        Assert.Equal("failed with Unavailable", failed);
        Assert.Equal("answered 5", repeated);
        Assert.Equal((5, 2), await probe.Get().WaitAsync(Timeout));
    }

    [Fact]
    public async Task APermanentFailureIsStillTheKeysOutcome_ARepeatIsAnsweredWithoutRunning()
    {
        var probe = Probe($"{_run}-permanent");
        await probe.FailNextAddition(RpcStatus.FailedPrecondition).WaitAsync(Timeout);
        string failed, repeated;
        using (RpcCall.IdempotencyKey($"{_run}-permanent-add"))
        {
            failed = await Outcome(probe.Add(5));
        }

        using (RpcCall.IdempotencyKey($"{_run}-permanent-add"))
        {
            repeated = await Outcome(probe.Add(5));
        }

        Assert.Equal("failed with FailedPrecondition", failed);
        Assert.Equal(failed, repeated);
        Assert.Equal((0, 1), await probe.Get().WaitAsync(Timeout));
    }

    [Fact]
    public async Task AFailureReplayedFromItsRecord_IsThrownAsTheTypeFirstThrown()
    {
        // Issue 24: before, the repeat got RpcException(InvalidArgument) where the first call got the grain's own
        // ArgumentOutOfRangeException; code that catches the type would handle one and not the other.
        var probe = Probe($"{_run}-replayed-type");
        var failures = new List<ArgumentOutOfRangeException>();
        for (var i = 0; i < 2; i++)
        {
            using (RpcCall.IdempotencyKey($"{_run}-replayed-type-add"))
            {
                failures.Add(await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => probe.Add(-1).WaitAsync(Timeout)));
            }
        }

        Assert.Equal(failures[0].Message, failures[1].Message);
        Assert.Equal(RpcStatus.InvalidArgument, RpcStatus.Of(failures[1]));
        Assert.Equal((0, 1), await probe.Get().WaitAsync(Timeout)); // replayed, not run again
    }
}
