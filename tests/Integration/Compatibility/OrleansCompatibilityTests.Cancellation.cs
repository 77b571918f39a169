using ReliableRpc.Tests.Integration.Compatibility.Grains;

namespace ReliableRpc.Tests.Integration.Compatibility;

public sealed partial class OrleansCompatibilityTests
{
    // Mirrors dotnet/orleans test/Orleans.Runtime.Tests/CancellationTests/CancellationTokenTests.cs: PreCancelledTokenPassing.
    // Orleans throws it synchronously from the proxy; the assertion here takes either way (ThrowsAnyAsync), and the
    // output says which it was.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_call_with_an_already_cancelled_token_throws_OperationCanceledException_and_does_not_run(bool pipeline)
    {
        var grain = Client(pipeline).GetGrain<ICancellableGrain>(Guid.NewGuid());
        var callId = Guid.NewGuid();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var synchronously = false;
        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Shown(pipeline, () =>
            {
                try
                {
                    return grain.WaitForCancellation(callId, cancellation.Token);
                }
                catch (Exception)
                {
                    synchronously = true;
                    throw;
                }
            }));
        }
        finally
        {
            output.WriteLine($"{Name(pipeline)}: thrown {(synchronously ? "synchronously by the proxy" : "from the returned task")}");
        }

        // A later call to the same (non-reentrant) grain completes after anything sent before it started.
        Assert.Equal(1, await grain.Ping().WaitAsync(Bound));
        Assert.False(CallProbe.For(callId).Started.IsCompleted, "the grain method ran although the token was cancelled before the call");
    }

    // Mirrors dotnet/orleans test/Orleans.Runtime.Tests/CancellationTests/CancellationTokenTests.cs: GrainTaskCancellation
    // (delay 300: cancelled after the grain started), and InterSiloClientCancellationTokenPassing.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancelling_during_a_call_throws_OperationCanceledException_and_the_grain_sees_its_token_cancelled(bool pipeline)
    {
        var grain = Client(pipeline).GetGrain<ICancellableGrain>(Guid.NewGuid());
        var callId = Guid.NewGuid();
        var probe = CallProbe.For(callId);
        using var cancellation = new CancellationTokenSource();

        var call = grain.WaitForCancellation(callId, cancellation.Token);
        await probe.Started.WaitAsync(Bound);
        await cancellation.CancelAsync();

        // Both outcomes are recorded before either is asserted, so a failure shows the whole picture.
        var tokenCancelled = await Record.ExceptionAsync(() => probe.TokenCancelled.WaitAsync(TimeSpan.FromSeconds(5))) is null;
        output.WriteLine($"{Name(pipeline)}: the grain saw its token cancelled: {tokenCancelled}");
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Shown(pipeline, () => call));
        Assert.True(tokenCancelled, "the grain's cancellation token was not cancelled");

        // `catch (OperationCanceledException e) when (e.CancellationToken == token)` matches, as in plain Orleans: the
        // pipeline's own attempt token does not show through (review of issue 24).
        Assert.Equal(cancellation.Token, cancelled.CancellationToken);
    }

    // Mirrors dotnet/orleans test/Orleans.Runtime.Tests/ExceptionPropagationTests.cs: TaskCancelationPropagation.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cancelled_grain_task_arrives_as_TaskCanceledException(bool pipeline)
    {
        var grain = Client(pipeline).GetGrain<ICancellableGrain>(Guid.NewGuid());

        await Assert.ThrowsAsync<TaskCanceledException>(() => Shown(pipeline, grain.Canceled));
    }
}
