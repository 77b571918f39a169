using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Time.Testing;
using ReliableRpc.Retries.Internal;

namespace ReliableRpc.Benchmarks.Micro;

/// <summary>The retry schedule and the budget: both run once per retry, the budget's deposit once per call.</summary>
[MemoryDiagnoser]
public class BackoffBenchmarks
{
    private readonly RetryProfile _profile = RetryProfile.CreateInteractive();
    private readonly JitterSource _jitter = new(seed: 1);
    private readonly RetryBudget _budget = new(new RetryBudgetOptions(), new FakeTimeProvider());

    [Benchmark(Baseline = true)]
    public TimeSpan FullJitterDelay() => FullJitterBackoff.Delay(3, _profile, _jitter.NextDouble());

    [Benchmark]
    public bool BudgetDepositAndWithdraw()
    {
        _budget.OnLogicalCall();
        return _budget.TryAcquire();
    }
}
