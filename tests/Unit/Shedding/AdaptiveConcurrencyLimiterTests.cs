using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using ReliableRpc.Shedding.Internal;

namespace ReliableRpc.Tests.Unit.Shedding;

/// <summary>The limiter on a fake clock: leases, refusals with pushback, and which time counts as the silo's.</summary>
public sealed class AdaptiveConcurrencyLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    private AdaptiveConcurrencyLimiter Limiter(Action<SheddingOptions>? configure = null)
    {
        var options = new SheddingOptions { Adaptive = true };
        configure?.Invoke(options);
        return new AdaptiveConcurrencyLimiter(options, _time);
    }

    /// <summary>
    /// Serves one window of <paramref name="calls"/> calls that run together for <paramref name="took"/>, of which
    /// <paramref name="storage"/> was spent waiting on grain storage.
    /// </summary>
    private void Serve(AdaptiveConcurrencyLimiter limiter, TimeSpan took, TimeSpan storage = default, int calls = 64)
    {
        var leases = Enumerable.Range(0, calls).Select(_ => (AdaptiveConcurrencyLimiter.CallLease)limiter.AttemptAcquire()).ToList();
        _time.Advance(took);
        var storageTicks = (long)(storage.TotalSeconds * _time.TimestampFrequency);
        foreach (var lease in leases.SkipLast(1))
        {
            lease.Served(storageTicks);
        }

        // The last call ends once the update interval is over, and closes the window (it took longer: one in 64), all
        // 64 still running as it does.
        _time.Advance(SheddingOptions.DefaultUpdateInterval);
        leases[^1].Served(storageTicks);
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public async Task PastTheLimit_ALeaseIsRefusedAtOnce_WithRetryAfter_AndTakesNothing()
    {
        var limiter = Limiter(o => o.MaxConcurrentClientCalls = 2);
        using var first = limiter.AttemptAcquire();
        using var second = limiter.AttemptAcquire();

        var third = limiter.AttemptAcquire();
        Assert.False(third.IsAcquired);
        Assert.True(third.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(SheddingOptions.DefaultRetryAfter, retryAfter);
        Assert.Equal(2, limiter.Running);
        Assert.Equal(1, limiter.GetStatistics().TotalFailedLeases);

        // Never queued: the async form answers the same at once.
        var queued = limiter.AcquireAsync();
        Assert.True(queued.IsCompletedSuccessfully);
        Assert.False((await queued).IsAcquired);
    }

    [Fact]
    public void ALeaseGivesItsSlotBackOnce_HoweverOftenItIsDisposed()
    {
        var limiter = Limiter(o => o.MaxConcurrentClientCalls = 1);
        var lease = limiter.AttemptAcquire();
        lease.Dispose();
        lease.Dispose();

        Assert.Equal(0, limiter.Running);
        using var next = limiter.AttemptAcquire();
        Assert.True(next.IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void ServiceTimeThatRises_ShrinksTheLimit_FromTheCallsRunning()
    {
        var limiter = Limiter();
        Serve(limiter, TimeSpan.FromMilliseconds(5));
        Serve(limiter, TimeSpan.FromMilliseconds(50));

        // 64 running, the median ten times the minimum: half of 64, plus √64.
        Assert.Equal(40, limiter.Limit);
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.MinimumServiceTime);
        Assert.Equal(TimeSpan.FromMilliseconds(50), limiter.MedianServiceTime);
    }

    [Fact]
    public void TimeWaitingOnStorage_DoesNotShrinkTheLimit()
    {
        var limiter = Limiter();
        Serve(limiter, TimeSpan.FromMilliseconds(5));

        // Storage slowed down: the calls took ten times as long, all of it waiting on their writes.
        for (var i = 0; i < 10; i++)
        {
            Serve(limiter, TimeSpan.FromMilliseconds(50), storage: TimeSpan.FromMilliseconds(45));
        }

        Assert.Equal(1_000, limiter.Limit);
    }

    [Fact]
    public void ANonAdaptiveLimit_StaysFixed_WhateverTheLatency()
    {
        var limiter = Limiter(o => o.Adaptive = false);
        Serve(limiter, TimeSpan.FromMilliseconds(5));
        Serve(limiter, TimeSpan.FromSeconds(5));

        Assert.Equal(1_000, limiter.Limit);
        Assert.Null(limiter.MinimumServiceTime);
    }

    [Fact]
    public void AnIdleLimiter_SaysSinceWhen()
    {
        var limiter = Limiter();
        var lease = limiter.AttemptAcquire();
        Assert.Null(limiter.IdleDuration);

        lease.Dispose();
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), limiter.IdleDuration);
    }
}
