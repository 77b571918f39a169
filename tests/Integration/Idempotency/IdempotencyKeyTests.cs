using ReliableRpc.Grains.Chaos;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Idempotency;

[Collection(ClusterCollection.Name)]
public class IdempotencyKeyTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private IAccountGrain Account(string name) => fixture.Grains.GetGrain<IAccountGrain>($"{_run}-{name}");

    [Fact]
    public async Task TwoKeyedCallsInOneScope_TheSecondIsRefused_NotAppliedOnceAndReportedTwice()
    {
        // Issue 23: the scope's key applied to every keyed call in it, so two deposits of 5 applied once and both
        // reported success. The key is the next keyed call's; the second is refused before it is sent.
        var account = Account("two-in-one-scope");
        using (RpcCall.IdempotencyKey($"{_run}-two"))
        {
            Assert.Equal(5, await account.Deposit(5).WaitAsync(Timeout));
            var refused = await Assert.ThrowsAsync<RpcException>(() => account.Deposit(5).WaitAsync(Timeout));
            Assert.Equal(RpcStatus.InvalidArgument, refused.Status);
            Assert.True(refused.NotExecuted);

            // Calls that take no key are not affected by it.
            Assert.Equal(5, await account.GetBalance().WaitAsync(Timeout));
        }

        using (RpcCall.Deadline(TimeSpan.FromSeconds(5)))
        {
            Assert.Equal(10, await account.Deposit(5).WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task SameKeySameArguments_ReturnsTheStoredOutcomeWithoutRunningAgain()
    {
        var account = Account("repeat");
        long first, second;
        using (RpcCall.IdempotencyKey($"{_run}-deposit-1"))
        {
            first = await account.Deposit(40).WaitAsync(Timeout);
        }

        using (RpcCall.IdempotencyKey($"{_run}-deposit-1"))
        {
            second = await account.Deposit(40).WaitAsync(Timeout);
        }

        Assert.Equal(40, first);
        Assert.Equal(40, second);
        Assert.Equal(40, await account.GetBalance().WaitAsync(Timeout));
        Assert.Equal(1, SharedGrainStorage.WritesOf($"{_run}-repeat"));
    }

    [Fact]
    public async Task SameKeyOtherArguments_FailsWithInvalidArgumentAndChangesNothing()
    {
        var account = Account("mismatch");
        using (RpcCall.IdempotencyKey($"{_run}-k"))
        {
            await account.Deposit(5).WaitAsync(Timeout);
        }

        RpcException error;
        using (RpcCall.IdempotencyKey($"{_run}-k"))
        {
            error = await Assert.ThrowsAsync<RpcException>(() => account.Deposit(6).WaitAsync(Timeout));
        }

        Assert.Equal(RpcStatus.InvalidArgument, error.Status);
        Assert.Contains("idempotency key", error.Detail);
        Assert.Contains("different request", error.Detail);
        Assert.Equal(5, await account.GetBalance().WaitAsync(Timeout));
    }

    [Fact]
    public async Task KeyedFailure_IsRecordedAndReplayed()
    {
        var account = Account("overdraft");
        RpcException first, second;
        using (RpcCall.IdempotencyKey($"{_run}-w"))
        {
            first = await Assert.ThrowsAsync<RpcException>(() => account.Withdraw(10).WaitAsync(Timeout));
        }

        await account.Deposit(100).WaitAsync(Timeout);
        using (RpcCall.IdempotencyKey($"{_run}-w"))
        {
            // Funds arrived meanwhile, but the key's outcome was the refusal: it stays the refusal.
            second = await Assert.ThrowsAsync<RpcException>(() => account.Withdraw(10).WaitAsync(Timeout));
        }

        Assert.Equal(RpcStatus.FailedPrecondition, first.Status);
        Assert.Equal((first.Status, first.Detail), (second.Status, second.Detail));
        Assert.Equal(100, await account.GetBalance().WaitAsync(Timeout));
    }

    [Theory]
    [InlineData(SharedGrainStorage.WriteFault.BeforeCommit)]
    [InlineData(SharedGrainStorage.WriteFault.AfterCommit)]
    public async Task StorageFailure_RetriedUnderTheSameKey_NeverDoublesTheEffect(SharedGrainStorage.WriteFault fault)
    {
        var name = $"storage-{fault}";
        var account = Account(name);
        await account.Deposit(1).WaitAsync(Timeout);

        // The next write fails; the grain deactivates and answers Unknown; the edge retries under the same key:
        // before commit the deposit runs again on reloaded state, after commit the stored outcome comes back.
        SharedGrainStorage.FailNextWrite($"{_run}-{name}", fault);
        var balance = await account.Deposit(10).WaitAsync(Timeout);

        Assert.Equal(11, balance);
        Assert.Equal(11, await account.GetBalance().WaitAsync(Timeout));
    }

    [Fact]
    public async Task ConcurrentDuplicates_OfASlowCallOnAReentrantGrain_RunTheBodyOnce()
    {
        var key = $"{_run}-slow";
        var counter = fixture.Grains.GetGrain<IKeyedCounterGrain>(key);
        SharedGrainStorage.SlowWrites(key, TimeSpan.FromMilliseconds(500));

        Task<int> first, second;
        using (RpcCall.IdempotencyKey($"{key}-add"))
        {
            first = counter.Add(7);
        }

        using (RpcCall.IdempotencyKey($"{key}-add"))
        {
            second = counter.Add(7);
        }

        var results = await Task.WhenAll(first, second).WaitAsync(Timeout);

        Assert.Equal([7, 7], results);
        Assert.Equal((7, 1), await counter.Get().WaitAsync(Timeout));
    }

    [Fact]
    public async Task EveryKeyedWrite_ReportsTheRecordsItsStateCarries_AndAReplayWritesNothing()
    {
        // What an operator watches for a grain whose records grow with its call rate (alert ReliableRpcIdempotencyRecordsGrowing).
        var carried = new System.Collections.Concurrent.ConcurrentQueue<int>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ReliableRpcDiagnostics.Name && instrument.Name == ReliableRpcDiagnostics.IdempotencyRecords)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "grain_type", Value: "KeyedCounterGrain" })
                {
                    carried.Enqueue(value);
                }
            }
        });
        listener.Start();

        var counter = fixture.Grains.GetGrain<IKeyedCounterGrain>($"{_run}-records");
        foreach (var key in new[] { "a", "b", "c", "a" })
        {
            using (RpcCall.IdempotencyKey($"{_run}-records-{key}"))
            {
                await counter.Add(1).WaitAsync(Timeout);
            }
        }

        Assert.Equal([1, 2, 3], carried);
        Assert.Equal((3, 3), await counter.Get().WaitAsync(Timeout));
    }

    [Fact]
    public async Task DepositWithoutAKeyFromTheCaller_GetsOneFromTheEdge()
    {
        var account = Account("generated");

        // Two logical calls, two keys: both apply.
        await account.Deposit(3).WaitAsync(Timeout);
        await account.Deposit(3).WaitAsync(Timeout);

        Assert.Equal(6, await account.GetBalance().WaitAsync(Timeout));
    }
}
