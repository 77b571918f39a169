using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Polly.CircuitBreaker;
using ReliableRpc.Storage.Internal;

namespace ReliableRpc.Tests.Unit.Storage;

/// <summary>The storage gate on a fake clock: stalls fail at the threshold, failing storage opens it, a probe closes it.</summary>
public sealed class StorageGateTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private StorageGate Gate(Action<StorageGateOptions>? configure = null, bool pipeline = true)
    {
        var options = new ReliableRpcOptions { Enabled = pipeline };
        configure?.Invoke(options.StorageGate);
        return new StorageGate(Options.Create(options), _time, NullLogger<StorageGate>.Instance);
    }

    private static Task Write(StorageGate gate, Task storage) => gate.RunAsync(static s => s, storage).AsTask();

    private static Task Hung() => new TaskCompletionSource().Task;

    [Fact]
    public async Task AWriteThatStalls_FailsAtTheStallThreshold_NotWhenStorageGivesUp()
    {
        var gate = Gate();
        var write = Write(gate, Hung());

        _time.Advance(TimeSpan.FromMilliseconds(1_999));
        Assert.False(write.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(RpcStatus.Unknown, (await Assert.ThrowsAsync<RpcException>(() => write)).Status);
        Assert.False(gate.IsOpen);
    }

    [Fact]
    public async Task StallingWrites_OpenTheGate_LetTheYoungerOnesGo_AndNewWritesAreNotSent()
    {
        var gate = Gate();
        var old = Enumerable.Range(0, 3).Select(_ => Write(gate, Hung())).ToArray();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        var young = Enumerable.Range(0, 2).Select(_ => Write(gate, Hung())).ToArray();

        _time.Advance(TimeSpan.FromMilliseconds(1_500));
        foreach (var write in old.Concat(young))
        {
            // The younger writes waited 1.5 s, not 2: the gate let them go when it opened.
            Assert.Equal(RpcStatus.Unknown, (await Assert.ThrowsAsync<RpcException>(() => write)).Status);
        }

        Assert.True(gate.IsOpen);
        var sent = false;
        await Assert.ThrowsAsync<BrokenCircuitException>(() => gate.RunAsync(_ => { sent = true; return Task.CompletedTask; }, 0).AsTask());
        Assert.False(sent);
        var refusal = gate.RefusalBeforeEffect("a write", methodStarted: false);
        Assert.Equal(RpcStatus.Unavailable, refusal.Status);
        Assert.True(refusal.NotExecuted);
        Assert.Equal(TimeSpan.FromSeconds(1), refusal.RetryAfter);
        Assert.False(gate.RefusalBeforeEffect("a write", methodStarted: true).NotExecuted);
        Assert.False(gate.RefusalAfterEffect("grain").NotExecuted);
    }

    [Fact]
    public async Task AfterTheBreak_AProbeWriteThatSucceeds_ClosesTheGate()
    {
        var gate = Gate();
        var stalled = Enumerable.Range(0, 3).Select(_ => Write(gate, Hung())).ToArray();
        _time.Advance(TimeSpan.FromSeconds(2));
        await Task.WhenAll(stalled.Select(w => Assert.ThrowsAsync<RpcException>(() => w)));
        Assert.True(gate.IsOpen);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(gate.IsOpen); // the break is over: the next write is the probe
        var probe = new TaskCompletionSource();
        var probing = Write(gate, probe.Task);
        Assert.True(gate.IsOpen); // half-open: other effects are refused before they run while the probe is out
        probe.SetResult();
        await probing;
        Assert.False(gate.IsOpen);
        await Write(gate, Task.CompletedTask);
    }

    [Fact]
    public async Task AProbeThatStallsAgain_OpensTheGateAgain()
    {
        var gate = Gate();
        var stalled = Enumerable.Range(0, 3).Select(_ => Write(gate, Hung())).ToArray();
        _time.Advance(TimeSpan.FromSeconds(2));
        await Task.WhenAll(stalled.Select(w => Assert.ThrowsAsync<RpcException>(() => w)));
        _time.Advance(TimeSpan.FromSeconds(1));

        var probe = Write(gate, Hung());
        _time.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<RpcException>(() => probe);
        Assert.True(gate.IsOpen);
    }

    [Fact]
    public async Task AStateReadThatStalls_LeavesTheGrainUnactivated_AndSaysNothingRan()
    {
        var gate = Gate();
        var read = gate.RunAsync(static s => s, Hung(), read: true).AsTask();
        _time.Advance(TimeSpan.FromSeconds(2));
        var refused = await Assert.ThrowsAsync<RpcException>(() => read);
        Assert.Equal(RpcStatus.Unavailable, refused.Status);
        Assert.True(refused.NotExecuted);
        Assert.Equal(RpcStatus.Unavailable, gate.ReadRefusal("grain").Status);
        Assert.True(gate.ReadRefusal("grain").NotExecuted);
    }

    [Fact]
    public async Task EtagRefusals_AreStorageAnswering_AndDoNotOpenTheGate()
    {
        var gate = Gate();
        for (var i = 0; i < 10; i++)
        {
            await Assert.ThrowsAsync<InconsistentStateException>(() => Write(gate, Task.FromException(new InconsistentStateException("stale", "a", "b"))));
        }

        Assert.False(gate.IsOpen);
    }

    [Fact]
    public async Task OneStallAmongManySuccesses_DoesNotOpenTheGate()
    {
        var gate = Gate();
        var slow = Write(gate, Hung());
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(90));
            await Write(gate, Task.CompletedTask);
        }

        _time.Advance(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAsync<RpcException>(() => slow);
        Assert.False(gate.IsOpen);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Off_WritesAreNeverLetGo(bool gateEnabled, bool pipelineEnabled)
    {
        var gate = Gate(o => o.Enabled = gateEnabled, pipelineEnabled);
        var write = Write(gate, Hung());
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(write.IsCompleted);
        Assert.False(gate.IsOpen);
    }
}
