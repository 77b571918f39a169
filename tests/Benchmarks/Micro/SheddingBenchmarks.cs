using BenchmarkDotNet.Attributes;
using ReliableRpc.Shedding.Internal;

namespace ReliableRpc.Benchmarks.Micro;

/// <summary>
/// What the adaptive limit costs a client call on a silo: a lease taken, the call's time given to the controller, the
/// lease given back; against the fixed limit (no controller), and a refusal (one shared lease, no allocation).
/// </summary>
[MemoryDiagnoser]
public class SheddingBenchmarks
{
    private AdaptiveConcurrencyLimiter _adaptive = null!;
    private AdaptiveConcurrencyLimiter _fixed = null!;
    private AdaptiveConcurrencyLimiter _full = null!;

    [GlobalSetup]
    public void Setup()
    {
        _adaptive = new AdaptiveConcurrencyLimiter(new SheddingOptions { Adaptive = true }, TimeProvider.System);
        _fixed = new AdaptiveConcurrencyLimiter(new SheddingOptions { Adaptive = false }, TimeProvider.System);
        _full = new AdaptiveConcurrencyLimiter(new SheddingOptions { Adaptive = true, MaxConcurrentClientCalls = 1 }, TimeProvider.System);
        _full.AttemptAcquire();
    }

    [Benchmark(Baseline = true)]
    public bool FixedLimit() => Admit(_fixed);

    [Benchmark]
    public bool AdaptiveLimit() => Admit(_adaptive);

    [Benchmark]
    public bool Refused() => _full.AttemptAcquire().IsAcquired;

    private static bool Admit(AdaptiveConcurrencyLimiter limiter)
    {
        using var lease = (AdaptiveConcurrencyLimiter.CallLease)limiter.AttemptAcquire();
        lease.Served(0);
        return lease.IsAcquired;
    }
}
