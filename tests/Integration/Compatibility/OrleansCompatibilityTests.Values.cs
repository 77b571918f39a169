using Orleans.Concurrency;
using ReliableRpc.Tests.Integration.Compatibility.Grains;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Compatibility;

/// <summary>The rest keeps working: generic grains, Immutable arguments, RequestContext, timers.</summary>
public sealed partial class OrleansCompatibilityTests
{
    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/GenericGrainTests.cs: Generic_SimpleGrainControlFlow and
    // DifferentTypeArgsProduceIndependentActivations.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Generic_grains_keep_one_activation_per_type_argument(bool pipeline)
    {
        var key = Random.Shared.NextInt64();
        var ints = Client(pipeline).GetGrain<IGenericGrain<int>>(key);
        var strings = Client(pipeline).GetGrain<IGenericGrain<string>>(key);

        await ints.Set(7).WaitAsync(Bound);
        await strings.Set("seven").WaitAsync(Bound);

        Assert.Equal(7, await ints.Get().WaitAsync(Bound));
        Assert.Equal("seven", await strings.Get().WaitAsync(Bound));
    }

    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/HostedClientTests.cs: HostedClient_ReferenceEquality_GrainCallTest
    // ("Immutable<T> should round-trip without any copying", between grains of one silo) and the Immutable<byte[]>
    // pings of test/Grains/TestGrainInterfaces/IReentrantStressTestGrain.cs (across silos).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Immutable_arguments_cross_silos_and_are_not_copied_within_one(bool pipeline)
    {
        var silos = Placement.Silos(Cluster(pipeline));
        var a = await Placement.On(Client(pipeline).GetGrain<IImmutableGrain>(Guid.NewGuid()), silos[0]);
        var sameSilo = await Placement.On(Client(pipeline).GetGrain<IImmutableGrain>(Guid.NewGuid()), silos[0]);
        var otherSilo = await Placement.On(Client(pipeline).GetGrain<IImmutableGrain>(Guid.NewGuid()), silos[1]);

        Assert.Equal(6, await a.Sum(new[] { 1, 2, 3 }.AsImmutable()).WaitAsync(Bound));
        Assert.Equal(6, await a.SumAt(otherSilo, new[] { 1, 2, 3 }.AsImmutable()).WaitAsync(Bound));
        Assert.True(await a.EchoIsSameObject(sameSilo, [1, 2, 3]).WaitAsync(Bound), "an Immutable<int[]> was copied between grains of one silo");
    }

    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/RequestContextTest.cs: RequestContextCallerToCalleeFlow,
    // read two hops down (client → A → B, on different silos).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestContext_values_set_on_the_client_are_read_two_hops_down(bool pipeline)
    {
        var silos = Placement.Silos(Cluster(pipeline));
        var a = await Placement.On(Client(pipeline).GetGrain<IRequestContextGrain>(Guid.NewGuid()), silos[0]);
        var b = await Placement.On(Client(pipeline).GetGrain<IRequestContextGrain>(Guid.NewGuid()), silos[1]);
        const string key = "compatibility-tenant";

        RequestContext.Set(key, "tenant-7");
        try
        {
            Assert.Equal("tenant-7", await a.Read([b], key).WaitAsync(Bound));
            Assert.Contains(key, RequestContext.Keys);
        }
        finally
        {
            RequestContext.Remove(key);
        }
    }

    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/TimerOrleansTest.cs: AsyncTimerTest_GrainCall (a grain
    // timer's callback calls a grain; here one on the other silo).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_grain_timer_callback_calls_another_grain(bool pipeline)
    {
        var silos = Placement.Silos(Cluster(pipeline));
        var timer = await Placement.On(Client(pipeline).GetGrain<ITimerTestGrain>(Guid.NewGuid()), silos[0]);
        var target = await Placement.On(Client(pipeline).GetGrain<ITimerTargetGrain>(Guid.NewGuid()), silos[1]);

        await timer.StartTimer(target, "tick", TimeSpan.FromMilliseconds(100)).WaitAsync(Bound);

        await Eventually.True(async () => (await target.Records()).Count > 0, "the timer's call arrived", Bound);
        Assert.Equal(["tick"], await target.Records().WaitAsync(Bound));
        Assert.Null(await timer.CallbackFailure().WaitAsync(Bound));
    }
}
