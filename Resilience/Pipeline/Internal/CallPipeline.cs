using Polly;
using Polly.Retry;
using Polly.Timeout;
using ReliableRpc.Retries.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>
/// The Polly pipelines that drive a call's attempts: retry (edges) around a per-attempt timeout. Polly runs
/// the loop, the waits on the injected clock and the timeouts; the decisions Polly has no notion of are ours:
/// the status classification, transparent retries that do not count, the deadline, the budget.
/// </summary>
internal sealed class CallPipeline
{
    private static readonly ResiliencePropertyKey<CallExecution> CallKey = new("ReliableRpc.Call");

    private readonly ResiliencePipeline<RpcException?> _edge;
    private readonly ResiliencePipeline<RpcException?> _hop;
    private readonly RetryOptions _options;
    private readonly RetryBudget _budget;
    private readonly JitterSource _jitter;

    public CallPipeline(RetryOptions options, RetryBudget budget, JitterSource jitter, TimeProvider time)
    {
        _options = options;
        _budget = budget;
        _jitter = jitter;
        var timeout = new TimeoutStrategyOptions { TimeoutGenerator = args => new(Call(args.Context).NextAttemptTimeout(_options.AttemptTimeout)) };
        _hop = new ResiliencePipelineBuilder<RpcException?> { TimeProvider = time }.AddTimeout(timeout).Build();
        _edge = new ResiliencePipelineBuilder<RpcException?> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<RpcException?>
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => new(ShouldRetry(Call(args.Context), args.Outcome)),
                DelayGenerator = args => new(Call(args.Context).NextDelay),
            })
            .AddTimeout(timeout)
            .Build();
    }

    /// <summary>Runs the call's attempts; returns null on success or the failure the caller gets.</summary>
    public async ValueTask<RpcException?> ExecuteAsync(CallExecution call)
    {
        if (call.CanRetry)
        {
            _budget.OnLogicalCall();
        }

        var context = ResilienceContextPool.Shared.Get(call.CallerToken);
        try
        {
            context.Properties.Set(CallKey, call);
            var outcome = await (call.CanRetry ? _edge : _hop).ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    state.BeginAttempt();
                    return Outcome.FromResult(await AttemptInvoker.InvokeAsync(state, state.CurrentAttemptTimeout, ctx.CancellationToken));
                },
                context,
                call);
            return outcome.Result ?? (outcome.Exception is { } exception ? RpcStatusMapper.ToRpcException(exception) : null);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private bool ShouldRetry(CallExecution call, Outcome<RpcException?> outcome)
    {
        var failure = outcome.Result ?? (outcome.Exception is { } exception ? RpcStatusMapper.ToRpcException(exception) : null);
        if (failure is null)
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

        if (call.Remaining - delay < _options.MinAttemptBudget || !_budget.TryAcquire())
        {
            return false;
        }

        call.NextDelay = delay;
        call.Retries++;
        return true;
    }

    private static CallExecution Call(ResilienceContext context) => context.Properties.GetValue(CallKey, null!);
}
