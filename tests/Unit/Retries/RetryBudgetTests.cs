using Microsoft.Extensions.Time.Testing;
using ReliableRpc.Retries.Internal;

namespace ReliableRpc.Tests.Unit.Retries;

public class RetryBudgetTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RetryBudgetOptions _options = new() { Ratio = 0.2, MinRetriesPerSecond = 10, MaxSaved = 100 };

    [Fact]
    public void TryAcquire_TargetFailingEverything_RetriesStayWithinRatioPlusFloor()
    {
        var budget = new RetryBudget(_options, _time);
        int logicalCalls = 0, retries = 0;

        // 60 s at 1,000 calls/s, every call failing and asking for up to 3 retries.
        for (var second = 0; second < 60; second++)
        {
            for (var i = 0; i < 1_000; i++)
            {
                logicalCalls++;
                budget.OnLogicalCall();
                for (var retry = 0; retry < 3 && budget.TryAcquire(); retry++)
                {
                    retries++;
                }
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var attempts = logicalCalls + retries;
        var bound = logicalCalls * (1 + _options.Ratio) + _options.MinRetriesPerSecond * 61;
        Assert.True(attempts <= bound, $"{attempts} attempts for {logicalCalls} calls exceeds {bound}");
        Assert.True(retries >= logicalCalls * _options.Ratio * 0.9, $"the budget should still allow ~20 % retries, got {retries}");
    }

    [Fact]
    public void TryAcquire_Exhausted_RefillsWithTimeThenWithTraffic()
    {
        var budget = new RetryBudget(_options, _time);
        while (budget.TryAcquire())
        {
        }

        Assert.False(budget.TryAcquire());
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(budget.TryAcquire(), "the floor refills with time");

        while (budget.TryAcquire())
        {
        }

        for (var i = 0; i < 10; i++)
        {
            budget.OnLogicalCall();
        }

        Assert.True(budget.TryAcquire(), "ten calls at 20 % earn two retries");
        Assert.True(budget.TryAcquire());
        Assert.False(budget.TryAcquire());
    }

    [Fact]
    public void OnLogicalCall_LongQuietSuccess_SavesAtMostMaxSaved()
    {
        var budget = new RetryBudget(_options, _time);
        for (var i = 0; i < 100_000; i++)
        {
            budget.OnLogicalCall();
        }

        var granted = 0;
        while (budget.TryAcquire())
        {
            granted++;
        }

        Assert.Equal(100 + 10, granted);
    }

    [Fact]
    public void Tokens_ShowsWhatTryAcquireWouldAllow_WithoutSpendingIt()
    {
        var budget = new RetryBudget(_options, _time);
        var floor = _options.MinRetriesPerSecond;
        Assert.Equal(floor, budget.Tokens, 6);
        Assert.Equal(floor, budget.Tokens, 6);

        for (var i = 0; i < 10; i++)
        {
            budget.OnLogicalCall();
        }

        Assert.Equal(floor + 10 * _options.Ratio, budget.Tokens, 6);
        while (budget.TryAcquire())
        {
        }

        Assert.True(budget.Tokens < 1, $"{budget.Tokens} tokens left after the budget refused a retry");
        var before = budget.Tokens;
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(before + floor / 2, budget.Tokens, 3);
    }
}
