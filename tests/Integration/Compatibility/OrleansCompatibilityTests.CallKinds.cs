using ReliableRpc.Tests.Integration.Compatibility.Grains;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Compatibility;

/// <summary>The rest keeps working: kinds of calls other than a plain request and response.</summary>
public sealed partial class OrleansCompatibilityTests
{
    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/OneWayCallTests.cs: OneWayMethodsReturnSynchronously_ViaClient.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task One_way_calls_complete_at_once_run_and_never_return_failures(bool pipeline)
    {
        var grain = Client(pipeline).GetGrain<IOneWayGrain>(Guid.NewGuid());

        var notify = grain.Notify();
        Assert.True(notify.Status == TaskStatus.RanToCompletion, $"a one-way call's task should be complete at once, was {notify.Status}");
        await Eventually.True(async () => await grain.GetCount() == 1, "the one-way call ran", Bound);

        var throwing = grain.ThrowsOneWay();
        Assert.True(throwing.Status == TaskStatus.RanToCompletion, $"a failing one-way call's task should be complete at once, was {throwing.Status}");
        await throwing;
        Assert.Equal(1, await grain.GetCount().WaitAsync(Bound));
    }

    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/AsyncEnumerableGrainCallTests.cs: ObservableGrain_AsyncEnumerable.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_IAsyncEnumerable_method_streams_its_values(bool pipeline)
    {
        var grain = Client(pipeline).GetGrain<IStreamingGrain>(Guid.NewGuid());
        using var bound = new CancellationTokenSource(Bound);

        var values = new List<int>();
        await foreach (var value in grain.Count(5).WithCancellation(bound.Token))
        {
            values.Add(value);
        }

        Assert.Equal([0, 1, 2, 3, 4], values);
    }

    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/AsyncEnumerableGrainCallTests.cs: ObservableGrain_AsyncEnumerable_Throws
    // (the values before the failure arrive, then the grain's exception with its type).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_IAsyncEnumerable_method_that_throws_delivers_its_values_then_its_exception(bool pipeline)
    {
        var grain = Client(pipeline).GetGrain<IStreamingGrain>(Guid.NewGuid());
        using var bound = new CancellationTokenSource(Bound);
        var values = new List<int>();

        var exception = await Record.ExceptionAsync(async () =>
        {
            await foreach (var value in grain.CountThenThrow(3).WithCancellation(bound.Token))
            {
                values.Add(value);
            }
        });

        output.WriteLine($"{Name(pipeline)}: values {string.Join(",", values)}, then {exception}");
        Assert.Equal([0, 1, 2], values);
        var thrown = Assert.IsType<InvalidOperationException>(exception);
        Assert.Equal(StreamingGrain.FailureMessage, thrown.Message);
    }

    // Mirrors dotnet/orleans test/Orleans.Runtime.Internal.Tests/MessageScheduling/ReentrancyTests.cs: ReentrantGrain.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reentrant_grain_can_call_itself(bool pipeline)
    {
        var grain = Client(pipeline).GetGrain<IReentrantTestGrain>(Guid.NewGuid());

        Assert.Equal(2, await grain.CallSelf().WaitAsync(Bound));
    }

    // Mirrors dotnet/orleans test/Orleans.Runtime.Internal.Tests/MessageScheduling/AllowCallChainReentrancyTests.cs:
    // CallChainReentrancy_2 (non-reentrant A → B → A with RequestContext.AllowCallChainReentrancy), A and B on different silos.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_chain_reentrancy_lets_a_non_reentrant_grain_be_called_back_by_its_callee(bool pipeline)
    {
        var silos = Placement.Silos(Cluster(pipeline));
        var a = await Placement.On(Client(pipeline).GetGrain<ICallChainGrain>(Guid.NewGuid()), silos[0]);
        var b = await Placement.On(Client(pipeline).GetGrain<ICallChainGrain>(Guid.NewGuid()), silos[1]);

        Assert.Equal("back: leaf", await a.Start(b).WaitAsync(Bound));
    }

    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/StatelessWorkerTests.cs:
    // StatelessWorkerActivationsPerSiloDoNotExceedMaxLocalWorkersCount.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stateless_worker_calls_succeed_within_their_local_activation_limit(bool pipeline)
    {
        var grain = Client(pipeline).GetGrain<IStatelessWorkerTestGrain>(Random.Shared.NextInt64());

        var served = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => grain.Work(TimeSpan.FromMilliseconds(100)))).WaitAsync(Bound);

        foreach (var silo in served.GroupBy(s => s.Silo))
        {
            output.WriteLine($"{Name(pipeline)}: {silo.Key}: {silo.Select(s => s.Activation).Distinct().Count()} activations");
            Assert.InRange(silo.Select(s => s.Activation).Distinct().Count(), 1, StatelessWorkerTestGrain.MaxLocalWorkers);
        }
    }
}
