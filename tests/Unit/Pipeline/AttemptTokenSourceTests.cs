using Microsoft.Extensions.Time.Testing;
using ReliableRpc.Pipeline.Internal;

namespace ReliableRpc.Tests.Unit.Pipeline;

/// <summary>The attempt's one token: its timeout, the caller and a lost gateway, and the pool it comes from.</summary>
public class AttemptTokenSourceTests
{
    [Fact]
    public void OnAFakeClock_FiresAtTheTimeout_AsATimeout()
    {
        var time = new FakeTimeProvider();
        var attempt = AttemptTokenSource.Start(time, TimeSpan.FromSeconds(3), default, default);

        time.Advance(TimeSpan.FromMilliseconds(2_999));
        Assert.False(attempt.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(attempt.Token.IsCancellationRequested);
        Assert.True(attempt.TimedOut(default, default));
        attempt.Dispose();
    }

    [Fact]
    public void TheCallerGivingUp_FiresIt_ButIsNoTimeout()
    {
        using var caller = new CancellationTokenSource();
        var attempt = AttemptTokenSource.Start(TimeProvider.System, TimeSpan.FromMinutes(1), caller.Token, default);

        caller.Cancel();

        Assert.True(attempt.Token.IsCancellationRequested);
        Assert.False(attempt.TimedOut(caller.Token, default));
        attempt.Dispose();
    }

    [Fact]
    public void ALostGateway_FiresIt_ButIsNoTimeout()
    {
        var signal = new GatewayLossSignal();
        var gatewayLoss = signal.Token;
        var attempt = AttemptTokenSource.Start(TimeProvider.System, TimeSpan.FromMinutes(1), default, gatewayLoss);
        using var fired = new ManualResetEventSlim();
        attempt.Token.Register(fired.Set);

        signal.Signal();

        Assert.True(fired.Wait(TimeSpan.FromSeconds(10)));
        Assert.False(attempt.TimedOut(default, gatewayLoss));
        attempt.Dispose();
    }

    [Fact]
    public void AFiredSource_IsNeverHandedOutAgain_AndAFinishedOneIsDetachedFromTheCaller()
    {
        using var caller = new CancellationTokenSource();
        var fired = AttemptTokenSource.Start(TimeProvider.System, TimeSpan.FromMinutes(1), caller.Token, default);
        var firedToken = fired.Token;
        var finished = AttemptTokenSource.Start(TimeProvider.System, TimeSpan.FromMinutes(1), default, default);
        var finishedToken = finished.Token;
        finished.Dispose();

        caller.Cancel();
        fired.Dispose();

        // Every source handed out after this is unfired, whichever ones the pool holds.
        for (var i = 0; i < 2_000; i++)
        {
            var next = AttemptTokenSource.Start(TimeProvider.System, TimeSpan.FromMinutes(1), default, default);
            Assert.False(next.Token.IsCancellationRequested);
            Assert.NotEqual(firedToken, next.Token);
            next.Dispose();
        }

        Assert.True(firedToken.IsCancellationRequested);
        Assert.False(finishedToken.IsCancellationRequested);
    }

    [Fact]
    public void OnTheSystemClock_AnAttemptThatEndsInTime_AllocatesNothing()
    {
        // The pool's point: an attempt's timer costs no allocation once warm. Counted in bytes on this thread, not timed.
        for (var i = 0; i < 10; i++)
        {
            AttemptTokenSource.Start(TimeProvider.System, TimeSpan.FromSeconds(3), default, default).Dispose();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            var attempt = AttemptTokenSource.Start(TimeProvider.System, TimeSpan.FromSeconds(3), default, default);
            _ = attempt.Token;
            attempt.Dispose();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
