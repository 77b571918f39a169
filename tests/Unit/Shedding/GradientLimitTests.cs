using ReliableRpc.Shedding.Internal;

namespace ReliableRpc.Tests.Unit.Shedding;

/// <summary>
/// The adaptive limit's controller, driven window by window on a millisecond clock: it holds at the ceiling while
/// latency holds, shrinks (by at most half a window) when queueing shows, settles near a bottleneck's capacity, grows
/// back when the queue is gone, and measures its minimum with a probe when the silo is refusing calls.
/// </summary>
public sealed class GradientLimitTests
{
    private const long Frequency = 1_000;
    private long _now;

    private GradientLimit Limit(Action<SheddingOptions>? configure = null)
    {
        var options = new SheddingOptions();
        configure?.Invoke(options);
        return new GradientLimit(options, Frequency, _now);
    }

    /// <summary>
    /// One window: over the next 100 ms, <paramref name="calls"/> calls end, evenly spread, each served in
    /// <paramref name="seconds"/>; with <paramref name="refused"/>, a call is refused as the window starts.
    /// </summary>
    private bool Window(GradientLimit limit, double seconds, int calls = 64, bool refused = false, int? running = null)
    {
        var start = _now;
        var updated = refused && limit.Refused(start);
        for (var i = 1; i <= calls; i++)
        {
            _now = start + (100 * i / calls);

            // Unless told, as many run as the limit lets in, and a probe has drained the queue.
            updated |= limit.Add(seconds, _now - (long)(seconds * Frequency), _now, running ?? (limit.Probing ? 0 : int.MaxValue));
        }

        _now = start + 100;
        return updated;
    }

    /// <summary>
    /// A bottleneck of <paramref name="slots"/> slots of 10 ms under more load than the limit admits: as many calls
    /// run as the limit lets in, each waits its turn (10 ms × limit / slots once the limit passes the slots), and
    /// the rest are refused. Returns the latency of each window.
    /// </summary>
    private List<double> Overload(GradientLimit limit, int windows, int slots = 10)
    {
        var latencies = new List<double>();
        for (var i = 0; i < windows; i++)
        {
            var latency = 0.010 * Math.Max(1, limit.Limit / (double)slots);
            latencies.Add(latency);
            Window(limit, latency, refused: true, running: limit.Limit);
        }

        return latencies;
    }

    [Fact]
    public void WhileLatencyHolds_TheLimitStaysAtTheCeiling()
    {
        var limit = Limit();
        for (var i = 0; i < 50; i++)
        {
            Window(limit, 0.002);
        }

        Assert.Equal(SheddingOptions.DefaultMaxConcurrentClientCalls, limit.Limit);
        Assert.Equal(0.002, limit.MinimumSeconds);
    }

    [Fact]
    public void AWindowNeedsItsCallsAndItsInterval_BeforeTheLimitMoves()
    {
        var limit = Limit();
        Window(limit, 0.001);

        // Many slow calls, but within the instant the last window closed: the interval is not over.
        for (var i = 0; i < 200; i++)
        {
            Assert.False(limit.Add(1.0, _now, _now));
        }

        Assert.Equal(1_000, limit.Limit);

        // A fresh window: 31 slow calls over a whole interval are too few for a median.
        var fresh = Limit();
        Window(fresh, 0.001);
        Assert.False(Window(fresh, 1.0, calls: GradientLimit.MinSamples - 1));
        Assert.Equal(1_000, fresh.Limit);
    }

    [Fact]
    public void WhenQueueingShows_TheLimitShrinks_ByAtMostHalfAWindow()
    {
        var limit = Limit();
        Window(limit, 0.010);

        Assert.True(Window(limit, 0.100));
        Assert.InRange(limit.Limit, 500, 540);
        Window(limit, 0.100);
        Assert.InRange(limit.Limit, 250, 290);
    }

    [Fact]
    public void ALimitFarAboveTheCallsRunning_IsCutFromWhatRuns()
    {
        var limit = Limit();
        Window(limit, 0.010);

        // 60 calls running against a limit of 1,000, and the median ten times the minimum: half of 60, plus headroom.
        _now += 100;
        for (var i = 0; i < GradientLimit.MinSamples; i++)
        {
            limit.Add(0.100, _now - 100, _now, running: 60);
        }

        Assert.InRange(limit.Limit, 30, 40);
    }

    [Fact]
    public void ABottleneckOfTenSlots_UnderMoreLoadThanItServes_SettlesTheLimitNearItsCapacity()
    {
        var limit = Limit();
        Window(limit, 0.010);
        var latencies = Overload(limit, 200);

        // The last 100 windows: the limit stays near the slots, and queueing stays a bounded share of the service time.
        Assert.InRange(latencies.Skip(100).Average(), 0.010, 0.025);
        Assert.InRange(limit.Limit, 10, 25);
    }

    [Fact]
    public void ASiloOverloadedFromItsFirstCall_ProbesForItsMinimum_AtItsFirstRefusal()
    {
        // Its first window already queues (a second a call at the ceiling): no median it sees is the unloaded one.
        var limit = Limit();
        Assert.True(Window(limit, 1.0, refused: true));
        Assert.True(limit.Probing);
        Assert.Equal(SheddingOptions.DefaultMinConcurrentClientCalls, limit.Limit);

        // At the floor the queue drains; the calls admitted since measure 10 ms, and the limit comes down from there.
        Window(limit, 0.010);
        Assert.False(limit.Probing);
        Assert.Equal(0.010, limit.MinimumSeconds);
        var latencies = Overload(limit, 100);
        Assert.InRange(latencies.Skip(50).Average(), 0.010, 0.025);
    }

    [Fact]
    public void AProbe_CountsOnlyTheCallsAdmittedSinceItStarted()
    {
        var limit = Limit();
        Window(limit, 1.0, refused: true);

        // Calls admitted a second ago end now: they waited in the old queue and are not the minimum.
        for (var i = 0; i < 100; i++)
        {
            Assert.False(limit.Add(1.0, _now - 1_000, _now));
        }

        Assert.True(limit.Probing);
    }

    [Fact]
    public void AProbe_WaitsForTheQueueFromBeforeToDrain_ThenCountsTheCallsAdmittedSince()
    {
        var limit = Limit();
        Window(limit, 1.0, refused: true, running: 500);

        // 50 calls still run, admitted before the probe or behind those: what they took is the old queue's.
        _now += 500;
        for (var i = 0; i < 100; i++)
        {
            Assert.False(limit.Add(0.5, _now - 100, _now, running: 50));
        }

        // The queue is down to the floor: from now on, admitted calls measure the minimum.
        _now += 100;
        Assert.False(limit.Add(0.3, _now - 300, _now, running: SheddingOptions.DefaultMinConcurrentClientCalls));
        for (var i = 0; i < GradientLimit.MinSamples; i++)
        {
            _now += 5;
            limit.Add(0.002, _now - 2, _now, running: 5);
        }

        Assert.False(limit.Probing);
        Assert.Equal(0.002, limit.MinimumSeconds);
    }

    [Fact]
    public void AProbeWhoseQueueDoesNotDrain_GivesUpAfterFiveSeconds()
    {
        var limit = Limit();
        Window(limit, 0.001);
        _now += 60_000;
        Assert.True(limit.Refused(_now));

        _now += 4_999;
        Assert.False(limit.Add(5.0, _now - 5_000, _now, running: 500));
        _now += 1;
        Assert.True(limit.Add(5.0, _now - 5_000, _now, running: 500));
        Assert.False(limit.Probing);
        Assert.Equal(0.001, limit.MinimumSeconds);
    }

    [Fact]
    public void WhenTheQueueIsGone_TheLimitGrowsBackToTheCeiling_ByItsSquareRootAWindow()
    {
        var limit = Limit();
        Window(limit, 0.010);
        for (var i = 0; i < 10; i++)
        {
            Window(limit, 0.200);
        }

        Assert.Equal(SheddingOptions.DefaultMinConcurrentClientCalls, limit.Limit);
        var windows = 0;
        while (limit.Limit < 1_000 && windows < 200)
        {
            Window(limit, 0.010);
            windows++;
        }

        // It grows by its square root a window (Netflix's Gradient2): 10 to 1,000 in about 2 × (√1000 − √10) windows.
        Assert.Equal(1_000, limit.Limit);
        Assert.InRange(windows, 45, 70);
    }

    [Fact]
    public void AWorkloadThatBecameSlowerForGood_IsMeasuredAgain_OnceTheLimitSitsAtItsFloor()
    {
        var limit = Limit();
        Window(limit, 0.001);
        Assert.True(Window(limit, 0.010, refused: true));
        Window(limit, 0.010);
        Assert.Equal(0.010, limit.MinimumSeconds);

        // Ten times slower from now on, with calls refused: that reads as queueing, and the limit falls to its floor.
        // There, refusing still, it probes again without waiting out the 30 s: a probe at the floor costs nothing.
        var windows = 0;
        while (!limit.Probing && windows < 400)
        {
            Window(limit, 0.100, refused: true);
            windows++;
        }

        Assert.InRange(windows, 45, 60);
        Window(limit, 0.100);
        Assert.Equal(0.100, limit.MinimumSeconds);
        for (var i = 0; i < 100; i++)
        {
            Window(limit, 0.100);
        }

        Assert.Equal(1_000, limit.Limit);
    }

    [Fact]
    public void WhileRefusingAboveItsFloor_ASiloMeasuresItsMinimumAgain_Every30Seconds()
    {
        // Twenty slots of 10 ms under more load than they serve: the limit settles above its floor of 10.
        var limit = Limit();
        Window(limit, 0.010);
        var probes = new List<int>();
        for (var i = 0; i < 700; i++)
        {
            var wasProbing = limit.Probing;
            Window(limit, 0.010 * Math.Max(1, limit.Limit / 20.0), refused: true, running: limit.Limit);
            if (limit.Probing && !wasProbing)
            {
                probes.Add(i);
            }
        }

        // Near (1.5 × 10 ms + 5 ms) / 10 ms × 20 slots, plus its square root: 40-50.
        Assert.InRange(limit.Limit, 20, 60);
        Assert.Equal(3, probes.Count);
        Assert.All(probes.Zip(probes.Skip(1), (a, b) => b - a), gap => Assert.InRange(gap, 300, 302));
    }

    [Fact]
    public void AProbeWhoseCallsAllFail_EndsAtARefusalPastItsTimeout()
    {
        var limit = Limit();
        Window(limit, 0.001);
        Assert.True(limit.Refused(_now));

        // No call succeeds, so nothing reaches Add; refusals go on.
        _now += 4_999;
        Assert.False(limit.Refused(_now));
        Assert.True(limit.Probing);
        _now += 1;
        Assert.True(limit.Refused(_now));
        Assert.False(limit.Probing);
        Assert.Equal(0.001, limit.MinimumSeconds);
    }

    [Fact]
    public void AMedianOfZero_IsNoMinimum()
    {
        var limit = Limit();
        Window(limit, 0.002);
        Window(limit, 0.0);
        Assert.Equal(0.002, limit.MinimumSeconds);

        Window(limit, 0.0, refused: true);
        Window(limit, 0.0);
        Assert.False(limit.Probing);
        Assert.Equal(0.002, limit.MinimumSeconds);
    }

    [Fact]
    public void AFloorAboveTheCeiling_IsTheCeiling()
    {
        var limit = Limit(o => o.MaxConcurrentClientCalls = 4);
        Window(limit, 0.001);
        Window(limit, 1.0);
        Assert.Equal(4, limit.Limit);
    }

    [Fact]
    public void TheMedian_NotAFewSlowCalls_DecidesAWindow()
    {
        var limit = Limit();
        Window(limit, 0.002);

        // 20 of 64 calls take a second (long polls, a cold grain): the median is still 2 ms.
        _now += 100;
        for (var i = 0; i < 64; i++)
        {
            limit.Add(i % 3 == 0 ? 1.0 : 0.002, _now, _now);
        }

        Assert.Equal(0.002, limit.LastMedianSeconds);
        Assert.Equal(1_000, limit.Limit);
    }
}
