using ReliableRpc.Tests.Integration.Compatibility.Grains;

namespace ReliableRpc.Tests.Integration.Compatibility;

public sealed partial class OrleansCompatibilityTests
{
    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/ObserverTests.cs: ObserverTest_SimpleNotification.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_observer_is_notified(bool pipeline)
    {
        var client = Client(pipeline);
        var observer = new RecordingObserver();
        var reference = client.CreateObjectReference<ITestObserver>(observer);
        try
        {
            var grain = client.GetGrain<IObservedGrain>(Guid.NewGuid());
            await grain.Subscribe(reference).WaitAsync(Bound);

            await grain.NotifyAll("hello").WaitAsync(Bound);

            await observer.FirstNotification.WaitAsync(Bound);
            Assert.Equal(["hello"], observer.Messages);
        }
        finally
        {
            client.DeleteObjectReference<ITestObserver>(reference);
        }
    }

    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/ErrorGrainTest.cs: ObserverTest_Disconnect (a grain calls
    // the observer of a client that went away; upstream only a manual repro, its body commented out).
    // Plain Orleans, seen here: the client's gateway keeps the departed client's messages until ClientDropTimeout
    // (1 min) drops it, so the grain's call gets no answer and fails with Orleans' TimeoutException ("Response did
    // not arrive on time") after its ResponseTimeout, not at once. Observer calls are Orleans' own traffic to the
    // pipeline, so with it on the same happens after the raised ResponseTimeout (MaxDeadline + 2 s); the other
    // allowed outcome is the documented RpcException(Unavailable) with the Orleans exception inside.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Calling_the_observer_of_a_client_that_left_fails_as_in_plain_Orleans(bool pipeline)
    {
        var grainId = Guid.NewGuid();
        var leaving = await fixture.StartClientAsync(pipeline);
        try
        {
            var observer = new RecordingObserver();
            var reference = leaving.Client.CreateObjectReference<ITestObserver>(observer);
            await leaving.Client.GetGrain<IObservedGrain>(grainId).Subscribe(reference).WaitAsync(Bound);
            await Client(pipeline).GetGrain<IObservedGrain>(grainId).NotifyAll("before leaving").WaitAsync(Bound);
            await observer.FirstNotification.WaitAsync(Bound);
        }
        finally
        {
            await leaving.DisposeAsync();
        }

        var outcome = await Client(pipeline).GetGrain<IObservedGrain>(grainId).NotifyAndReport("after leaving").WaitAsync(Bound);

        output.WriteLine($"{Name(pipeline)}: the grain's call to the departed client's observer: {outcome}");
        var responseTimeout = pipeline ? CompatibilitySettings.PipelineResponseTimeout : CompatibilitySettings.DefaultTimeout;
        var slack = TimeSpan.FromSeconds(3);
        if (!pipeline || outcome.RpcStatus is null)
        {
            Assert.True(outcome.IsTimeout, $"expected Orleans' TimeoutException, got {outcome}");
            Assert.InRange(outcome.Elapsed, CompatibilitySettings.DefaultTimeout - TimeSpan.FromMilliseconds(100), responseTimeout + slack);
        }
        else
        {
            Assert.Equal(typeof(RpcException).FullName, outcome.ExceptionType);
            Assert.Equal(nameof(RpcStatus.Unavailable), outcome.RpcStatus);
            Assert.True(outcome.InnerIsTimeout, $"expected Orleans' TimeoutException inside, got {outcome}");
            Assert.InRange(outcome.Elapsed, TimeSpan.Zero, responseTimeout + slack);
        }
    }
}
