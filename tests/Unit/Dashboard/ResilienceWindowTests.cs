using Microsoft.Extensions.Time.Testing;
using ReliableRpc.Silo.Dashboard;

namespace ReliableRpc.Tests.Unit.Dashboard;

/// <summary>The resilience page's aggregation: rates, percentiles and p99 / deadline over a sliding window, on a fake clock.</summary>
public class ResilienceWindowTests
{
    private static readonly Dictionary<string, int> NoBreakers = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void EdgeCalls_RatesByStatus_AreCountsOverTheWindow()
    {
        var window = new ResilienceWindow(TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 40; i++)
        {
            window.EdgeCall("IAccount", "OK", 0.010, 0.01);
        }

        for (var i = 0; i < 10; i++)
        {
            window.EdgeCall("IAccount", "Unavailable", 0.010, 0.01);
        }

        var view = Assert.Single(window.Services(NoBreakers));
        Assert.Equal(4.0, view.CallsPerSecond["OK"], 6);
        Assert.Equal(1.0, view.CallsPerSecond["Unavailable"], 6);
    }

    [Fact]
    public void Samples_OlderThanTheWindow_DropOut()
    {
        var window = new ResilienceWindow(TimeSpan.FromSeconds(10), _time);
        window.EdgeCall("IAccount", "OK", 0.5, 0.5);
        window.Count("IAccount", ResilienceCounter.Shed, 20);
        _time.Advance(TimeSpan.FromSeconds(5));
        window.EdgeCall("IAccount", "OK", 0.1, 0.1);

        var both = Assert.Single(window.Services(NoBreakers));
        Assert.Equal(0.2, both.CallsPerSecond["OK"], 6);
        Assert.Equal(2.0, both.ShedPerSecond, 6);

        _time.Advance(TimeSpan.FromSeconds(5.5));
        var later = Assert.Single(window.Services(NoBreakers));
        Assert.Equal(0.1, later.CallsPerSecond["OK"], 6);
        Assert.Equal(0.1, later.P99Seconds);
        Assert.Equal(0.0, later.ShedPerSecond);

        _time.Advance(TimeSpan.FromSeconds(10));
        var empty = Assert.Single(window.Services(NoBreakers));
        Assert.Empty(empty.CallsPerSecond);
        Assert.Null(empty.P50Seconds);
        Assert.Null(empty.AttemptsPerCall);
    }

    [Fact]
    public void Percentiles_AreNearestRank_OverTheWindowsSamples()
    {
        var window = new ResilienceWindow(TimeSpan.FromSeconds(10), _time);
        for (var ms = 1; ms <= 100; ms++)
        {
            // A deadline of 200 ms for every call: the fraction is the duration / 0.2.
            window.EdgeCall("ITransfer", "OK", ms / 1000.0, ms / 1000.0 / 0.2);
            if (ms % 10 == 0)
            {
                _time.Advance(TimeSpan.FromSeconds(0.5));
            }
        }

        var view = Assert.Single(window.Services(NoBreakers));
        Assert.Equal(0.050, view.P50Seconds!.Value, 9);
        Assert.Equal(0.099, view.P99Seconds!.Value, 9);
        Assert.Equal(0.2, view.DeadlineSeconds!.Value, 9);
        Assert.Equal(0.099 / 0.2, view.P99OfDeadline!.Value, 9);
    }

    [Fact]
    public void Percentile_OfOneSample_IsThatSample_AndOfNone_IsNull()
    {
        Assert.Equal(3.0, ResilienceWindow.Percentile([3.0], 0.99));
        Assert.Equal(3.0, ResilienceWindow.Percentile([3.0], 0.01));
        Assert.Null(ResilienceWindow.Percentile([], 0.5));
    }

    [Fact]
    public void AttemptsPerCall_IsAttemptsOverLogicalCalls()
    {
        var window = new ResilienceWindow(TimeSpan.FromSeconds(10), _time);
        window.Count("IAccount", ResilienceCounter.Calls, 20);
        window.Count("IAccount", ResilienceCounter.Attempts, 26);
        window.Count("IAccount", ResilienceCounter.Retries, 6);

        var view = Assert.Single(window.Services(NoBreakers));
        Assert.Equal(1.3, view.AttemptsPerCall!.Value, 9);
        Assert.Equal(0.6, view.RetriesPerSecond, 9);
    }

    [Fact]
    public void Breaker_StateComesFromTheGauge_AndTheTimeFromTheLastTransition()
    {
        var window = new ResilienceWindow(TimeSpan.FromSeconds(10), _time);
        _time.Advance(TimeSpan.FromSeconds(3));
        window.BreakerTransition("IChaos", "open");
        var openedAt = _time.GetUtcNow();

        var open = Assert.Single(window.Services(new Dictionary<string, int> { ["IChaos"] = 2 }));
        Assert.Equal(("open", openedAt), (open.Breaker, open.BreakerSince));

        // A circuit that never changed state shows as closed, without a time.
        var services = window.Services(new Dictionary<string, int> { ["IChaos"] = 0, ["IOther"] = 0 });
        Assert.Equal(("closed", (DateTimeOffset?)null), (services[1].Breaker, services[1].BreakerSince));
    }

    [Fact]
    public void InFlight_FollowsTheActiveCallsCounter_AndServedCallsHaveTheirOwnRates()
    {
        var window = new ResilienceWindow(TimeSpan.FromSeconds(10), _time);
        window.Active("IAccount", 3);
        window.Active("ITransfer", 2);
        window.Active("IAccount", -1);
        window.Served("IAccount", "OK", 0.004);
        window.Served("IAccount", "ResourceExhausted", 0.001);

        Assert.Equal(4, window.InFlight());
        var account = window.Services(NoBreakers).Single(s => s.Service == "IAccount");
        Assert.Equal(2, account.InFlight);
        Assert.Equal(0.1, account.ServedPerSecond["OK"], 9);
        Assert.Equal(0.1, account.ServedPerSecond["ResourceExhausted"], 9);
        Assert.Equal(0.004, account.ServedP99Seconds);
        Assert.Empty(account.CallsPerSecond);
    }

    [Fact]
    public void DedupHits_AreARateOverTheWindow()
    {
        var window = new ResilienceWindow(TimeSpan.FromSeconds(5), _time);
        window.DedupHit(3);
        _time.Advance(TimeSpan.FromSeconds(2));
        window.DedupHit(2);
        Assert.Equal(1.0, window.DedupHitsPerSecond(), 9);

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0.4, window.DedupHitsPerSecond(), 9);
    }
}
