using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;

namespace ReliableRpc.Benchmarks.Micro;

/// <summary>
/// The circuit breaker's decision, as the pipeline uses it (Polly v8, outcomes not exceptions): a closed circuit
/// letting a call through, and an open one refusing it — the refusal comes back as an outcome, never thrown.
/// </summary>
[MemoryDiagnoser]
public class BreakerBenchmarks
{
    private static readonly RpcException Overload = new(RpcStatus.ResourceExhausted, "overloaded");
    private ResiliencePipeline<RpcException?> _closed = ResiliencePipeline<RpcException?>.Empty;
    private ResiliencePipeline<RpcException?> _open = ResiliencePipeline<RpcException?>.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var time = new FakeTimeProvider();
        _closed = Build(time);
        _open = Build(time);
        for (var i = 0; i < 10; i++)
        {
            var context = ResilienceContextPool.Shared.Get();
            _open.ExecuteOutcomeAsync(static (_, _) => new ValueTask<Outcome<RpcException?>>(Outcome.FromResult<RpcException?>(Overload)), context, 0).AsTask().GetAwaiter().GetResult();
            ResilienceContextPool.Shared.Return(context);
        }

        if (!OpenCircuitRefusal().AsTask().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("the circuit did not open");
        }
    }

    [Benchmark(Baseline = true)]
    public async ValueTask<bool> ClosedCircuit()
    {
        var context = ResilienceContextPool.Shared.Get();
        var outcome = await _closed.ExecuteOutcomeAsync(static (_, _) => new ValueTask<Outcome<RpcException?>>(Outcome.FromResult<RpcException?>(null)), context, 0);
        ResilienceContextPool.Shared.Return(context);
        return outcome.Exception is null;
    }

    [Benchmark]
    public async ValueTask<bool> OpenCircuitRefusal()
    {
        var context = ResilienceContextPool.Shared.Get();
        var outcome = await _open.ExecuteOutcomeAsync(static (_, _) => new ValueTask<Outcome<RpcException?>>(Outcome.FromResult<RpcException?>(null)), context, 0);
        ResilienceContextPool.Shared.Return(context);
        return outcome.Exception is BrokenCircuitException;
    }

    private static ResiliencePipeline<RpcException?> Build(TimeProvider time) =>
        new ResiliencePipelineBuilder<RpcException?> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<RpcException?>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 5,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromHours(1),
                ShouldHandle = args => new(args.Outcome.Result is not null),
            })
            .Build();
}
