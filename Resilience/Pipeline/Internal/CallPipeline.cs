using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using ReliableRpc.CircuitBreaking.Internal;
using ReliableRpc.Retries.Internal;
using ReliableRpc.Telemetry.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>
/// The Polly pipelines that drive a call's attempts, one per target grain interface (each has its own circuit):
/// retry around a circuit breaker around a per-attempt timeout. Polly runs the loop, the waits on the injected
/// clock, the breaker's state machine and the timeouts; the decisions Polly has no notion of are ours: the status
/// classification, transparent retries that do not count, edge-only retries, the deadline, the budget.
/// </summary>
internal sealed class CallPipeline
{
    private static readonly ResiliencePropertyKey<CallExecution> CallKey = new("ReliableRpc.Call");

    private readonly ConcurrentDictionary<string, ResiliencePipeline<RpcException?>> _pipelines = new(StringComparer.Ordinal);
    private readonly Func<string, ResiliencePipeline<RpcException?>> _create;
    private readonly ReliableRpcOptions _options;
    private readonly RetryBudget _budget;
    private readonly JitterSource _jitter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public CallPipeline(ReliableRpcOptions options, RetryBudget budget, JitterSource jitter, TimeProvider time, ILogger logger)
    {
        _options = options;
        _budget = budget;
        _jitter = jitter;
        _time = time;
        _logger = logger;
        _create = Create;
    }

    /// <summary>Runs the call's attempts; returns null on success or the failure the caller gets.</summary>
    public async ValueTask<RpcException?> ExecuteAsync(CallExecution call)
    {
        if (call.CanRetry)
        {
            _budget.OnLogicalCall();
        }

        var pipeline = _pipelines.TryGetValue(call.Policy.InterfaceName, out var existing) ? existing : _pipelines.GetOrAdd(call.Policy.InterfaceName, _create);
        var context = ResilienceContextPool.Shared.Get(call.CallerToken);
        try
        {
            context.Properties.Set(CallKey, call);
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    state.BeginAttempt();
                    return Outcome.FromResult<RpcException?>(await AttemptInvoker.InvokeAsync(state, state.CurrentAttemptTimeout, ctx.CancellationToken));
                },
                context,
                call);
            return Failure(call, outcome);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private ResiliencePipeline<RpcException?> Create(string service)
    {
        var builder = new ResiliencePipelineBuilder<RpcException?> { TimeProvider = _time };
        if (_options.Retries.Enabled)
        {
            builder.AddRetry(new RetryStrategyOptions<RpcException?>
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => new(ShouldRetry(Call(args.Context), args.Outcome)),
                DelayGenerator = args => new(Call(args.Context).NextDelay),
            });
        }

        var breaker = _options.CircuitBreaker;
        if (breaker.Enabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<RpcException?>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = args => new(OverloadClassifier.IsOverload(args.Outcome.Result)),
                OnOpened = args =>
                {
                    CircuitBreakerLog.Opened(_logger, service, args.BreakDuration, args.Outcome.Result?.Message ?? args.Outcome.Exception?.Message);
                    ReliableRpcMeter.BreakerTransitions.Add(1, ReliableRpcMeter.ServiceAnd(service, "state", "open"));
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    CircuitBreakerLog.HalfOpened(_logger, service);
                    ReliableRpcMeter.BreakerTransitions.Add(1, ReliableRpcMeter.ServiceAnd(service, "state", "half_open"));
                    return default;
                },
                OnClosed = _ =>
                {
                    CircuitBreakerLog.Closed(_logger, service);
                    ReliableRpcMeter.BreakerTransitions.Add(1, ReliableRpcMeter.ServiceAnd(service, "state", "closed"));
                    return default;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { TimeoutGenerator = args => new(Call(args.Context).NextAttemptTimeout(_options.Retries.AttemptTimeout)) });
        return builder.Build();
    }

    private bool ShouldRetry(CallExecution call, Outcome<RpcException?> outcome)
    {
        var failure = Failure(call, outcome);
        if (failure is null || !call.CanRetry)
        {
            return false;
        }

        var decision = RetryClassifier.Classify(failure, call.IsSafeToRepeat);
        if (decision == RetryDecision.Stop)
        {
            return false;
        }

        if (decision == RetryDecision.Counted && ++call.CountedAttempts >= call.Profile.MaxAttempts)
        {
            return false;
        }

        var delay = FullJitterBackoff.Delay(call.Retries + 1, call.Profile, _jitter.NextDouble());
        if (failure.RetryAfter is { } pushback && pushback > delay)
        {
            delay = pushback;
        }

        if (call.Remaining - delay < _options.Retries.MinAttemptBudget || !_budget.TryAcquire())
        {
            return false;
        }

        call.NextDelay = delay;
        call.Retries++;
        return true;
    }

    /// <summary>The outcome as the caller sees it; an open circuit becomes a brake that no edge retries.</summary>
    private static RpcException? Failure(CallExecution call, Outcome<RpcException?> outcome) => outcome.Exception switch
    {
        null => outcome.Result,
        BrokenCircuitException open => CircuitOpen(call, open),
        var exception => RpcStatusMapper.ToRpcException(exception),
    };

    private static RpcException CircuitOpen(CallExecution call, BrokenCircuitException open)
    {
        ReliableRpcMeter.BreakerRejections.Add(1, ReliableRpcMeter.Service(call.Policy.InterfaceName));
        return new RpcException(RpcStatus.Unavailable, $"circuit open for {call.Policy.InterfaceName}: the call was not sent", notExecuted: true, open.RetryAfter)
        {
            ClientGenerated = true,
            IsBrake = true,
        };
    }

    private static CallExecution Call(ResilienceContext context) => context.Properties.GetValue(CallKey, null!);
}
