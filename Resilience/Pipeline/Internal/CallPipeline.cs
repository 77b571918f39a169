using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using ReliableRpc.CircuitBreaking.Internal;
using ReliableRpc.Retries.Internal;
using ReliableRpc.Telemetry.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>
/// Drives a call's attempts: Polly's retry around Polly's circuit breaker (one per target grain interface: each has
/// its own circuit) around an attempt with its own timeout (<see cref="AttemptInvoker"/>). Polly runs the loop, the
/// waits on the injected clock and the breaker's state machine; the decisions Polly has no notion of are ours: the
/// status classification, transparent retries that do not count, edge-only retries, the deadline, the budget.
/// </summary>
/// <remarks>
/// Each Polly strategy an attempt passes through costs an async state machine (~300 B) whenever the attempt goes
/// to another process, which is always. So the first attempt runs outside the retry strategy: most calls succeed at
/// once and never enter it. A failed first attempt enters it as its first outcome, replayed without being sent
/// again (<see cref="CallExecution.TakeReplay"/>), so Polly decides on it exactly as if it had run it.
/// </remarks>
internal sealed class CallPipeline
{
    private static readonly ResiliencePropertyKey<CallExecution> CallKey = new("ReliableRpc.Call");

    private readonly ConcurrentDictionary<string, InterfaceBreaker> _breakers = new(StringComparer.Ordinal);
    private readonly Func<string, InterfaceBreaker> _createBreaker;
    private readonly ResiliencePipeline<RpcException?>? _retry;
    private readonly ReliableRpcOptions _options;
    private readonly RetryBudget _budget;
    private readonly JitterSource _jitter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IRetryRequests _retries;

    public CallPipeline(ReliableRpcOptions options, RetryBudget budget, JitterSource jitter, TimeProvider time, ILogger logger, IRetryRequests retries)
    {
        _retries = retries;
        _options = options;
        _budget = budget;
        _jitter = jitter;
        _time = time;
        _logger = logger;
        _createBreaker = CreateBreaker;
        _retry = options.Retries.Enabled ? CreateRetry() : null;
    }

    /// <summary>
    /// Runs the call's attempts and hands a failure to the caller (<see cref="CallExecution.Failure"/> holds it).
    /// The filter returns this task as its own: one state machine less on every call.
    /// </summary>
    public async Task ExecuteAsync(CallExecution call)
    {
        if (call.IsEdge && call.CanRetry)
        {
            _budget.OnLogicalCall();
        }

        var policy = call.Policy;
        call.Logical = call.IsEdge ? ReliableRpcActivities.StartLogicalCall(policy.SpanName, policy.InterfaceName, policy.MethodName, call.Timeout, call.IsSafeToRepeat) : null;
        var breaker = _options.CircuitBreaker.Enabled ? Breaker(policy.InterfaceName) : null;
        var context = breaker is null && _retry is null ? null : ResilienceContextPool.Shared.Get(call.CallerToken);
        RpcException? failure = null;
        try
        {
            Outcome<RpcException?> outcome;
            if (!call.TracesAttempts && (breaker is null || breaker.State.CircuitState == CircuitState.Closed))
            {
                // The common path: the first attempt is awaited here, not inside Polly's breaker, and the breaker
                // is given its outcome afterwards (synchronously, so it costs Polly no state machine). An open or
                // half-open circuit takes the path below, where Polly decides whether the attempt is sent at all.
                call.BeginAttempt();
                var attempt = AttemptInvoker.Send(call, call.NextAttemptTimeout(_options.Retries.AttemptTimeout), _time, _retries);
                await attempt.Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                outcome = attempt.Complete(call);
                if (breaker is not null)
                {
                    Report(breaker, context!, outcome);
                }
            }
            else
            {
                outcome = await AttemptAsync(call, breaker?.Pipeline, context);
            }

            if (_retry is not null && Failure(call, outcome) is not null)
            {
                call.Replay = outcome;
                context!.Properties.Set(CallKey, call);
                outcome = await _retry.ExecuteOutcomeAsync(
                    static (ctx, state) => state.Call.TakeReplay() is { } replay
                        ? new ValueTask<Outcome<RpcException?>>(replay)
                        : state.Pipeline.AttemptAsync(state.Call, state.Breaker, ctx),
                    context,
                    (Pipeline: this, Call: call, Breaker: breaker?.Pipeline));
            }

            failure = Failure(call, outcome);
            if (failure is { NotExecuted: true } && call.MayHaveRun)
            {
                // The last attempt never ran, but an earlier one may have: the call as a whole did not certainly not run.
                failure = failure.AsExecuted(failure.Thrown);
            }

            // Only the pipeline's own attempt timeout (nothing thrown by a grain, nor Orleans' timeout) is renamed.
            if (failure is { Status: RpcStatus.DeadlineExceeded, ClientGenerated: true, Thrown: null } && call.Attempts > 1)
            {
                // The last attempt's own timeout is not what the caller asked for: name the call's deadline and
                // what its attempts met, so a log line explains where the time went.
                failure = new RpcException(
                    RpcStatus.DeadlineExceeded,
                    $"deadline of {call.Timeout.TotalMilliseconds:0} ms exceeded after {call.Attempts} attempts; the last: {failure.Detail}",
                    failure.NotExecuted,
                    innerException: failure) { ClientGenerated = true };
            }
        }
        finally
        {
            if (context is not null)
            {
                ResilienceContextPool.Shared.Return(context);
            }

            if (call.IsEdge)
            {
                Record(call, failure);
            }
        }

        if (failure is not null)
        {
            call.Failure = failure;
            CallerFailure.DeliverOrThrow(call.Context, call.Policy, failure, call.CallerToken);
        }
    }

    /// <summary>One attempt, through the interface's circuit breaker when there is one; a refusal comes back as the brake.</summary>
    private ValueTask<Outcome<RpcException?>> AttemptAsync(CallExecution call, ResiliencePipeline<RpcException?>? breaker, ResilienceContext? context)
    {
        if (breaker is null)
        {
            return StartAttempt(call);
        }

        var attempt = breaker.ExecuteOutcomeAsync(static (_, state) => state.Pipeline.StartAttempt(state.Call), context!, (Pipeline: this, Call: call));
        if (!attempt.IsCompletedSuccessfully)
        {
            return attempt;
        }

        // Polly refuses at once: mapped here, a refusal is counted once however often its outcome is read later.
        var outcome = attempt.Result;
        return new(outcome.Exception is BrokenCircuitException open ? Outcome.FromResult<RpcException?>(CircuitOpen(call, open)) : outcome);
    }

    private ValueTask<Outcome<RpcException?>> StartAttempt(CallExecution call)
    {
        call.BeginAttempt();
        var timeout = call.NextAttemptTimeout(_options.Retries.AttemptTimeout);
        return !call.TracesAttempts ? AttemptInvoker.InvokeAsync(call, timeout, _time, _retries) : TracedAttemptAsync(call, timeout, _time, _retries);
    }

    /// <summary>
    /// Hands an attempt sent while the circuit was closed its outcome to the breaker, as if the breaker had run the
    /// attempt, but only while the circuit is still closed. An outcome that arrives after the circuit opened is
    /// dropped: told to the breaker after the break, it would be taken as the half-open circuit's probe and close
    /// (or reopen) the circuit on the word of a call sent before it opened.
    /// </summary>
    private static void Report(InterfaceBreaker breaker, ResilienceContext context, Outcome<RpcException?> outcome)
    {
        if (breaker.State.CircuitState != CircuitState.Closed)
        {
            return;
        }

        var reported = breaker.Pipeline.ExecuteOutcomeAsync(static (_, known) => new ValueTask<Outcome<RpcException?>>(known), context, outcome);
        if (!reported.IsCompleted)
        {
            // Not expected: every step of the breaker completes synchronously for a known outcome.
            _ = reported.AsTask();
        }
    }

    private InterfaceBreaker Breaker(string service) =>
        _breakers.TryGetValue(service, out var existing) ? existing : _breakers.GetOrAdd(service, _createBreaker);

    /// <summary>An attempt inside its span; only traced calls pay for the extra state machine.</summary>
    private static async ValueTask<Outcome<RpcException?>> TracedAttemptAsync(CallExecution call, TimeSpan timeout, TimeProvider time, IRetryRequests retries)
    {
        using var attempt = ReliableRpcActivities.StartAttempt(call.Policy.InterfaceName, call.Policy.MethodName, call.Attempts, call.NextDelay);
        var outcome = await AttemptInvoker.InvokeAsync(call, timeout, time, retries);
        if (attempt is not null)
        {
            ReliableRpcActivities.End(attempt, outcome.Result);
            if (outcome.Result is { } failure)
            {
                attempt.SetTag(ReliableRpcActivities.RetryTag, RetryClassifier.Classify(failure, call.IsSafeToRepeat).ToString());
            }
        }

        return outcome;
    }

    /// <summary>The logical call's metrics and span: duration, its share of the deadline, attempts, outcome.</summary>
    private void Record(CallExecution call, RpcException? failure)
    {
        var policy = call.Policy;
        var elapsed = _time.GetElapsedTime(call.StartTimestamp);
        var status = failure?.Status.ToString() ?? nameof(RpcStatus.OK);
        var outcome = ReliableRpcMeter.Outcome(policy.InterfaceName, policy.MethodName, status);
        ReliableRpcMeter.CallDuration.Record(elapsed.TotalSeconds, outcome);
        ReliableRpcMeter.DeadlineFraction.Record(elapsed / call.Timeout, outcome);
        ReliableRpcMeter.Calls.Add(1, ReliableRpcMeter.Method(policy.InterfaceName, policy.MethodName));
        ReliableRpcMeter.Attempts.Add(call.Attempts, ReliableRpcMeter.Method(policy.InterfaceName, policy.MethodName));
        if (failure?.Status == RpcStatus.DeadlineExceeded)
        {
            ReliableRpcMeter.DeadlineExceeded.Add(1, ReliableRpcMeter.ServiceAnd(policy.InterfaceName, "side", "caller"));
        }

        if (call.Logical is { } logical)
        {
            if (logical.IsAllDataRequested)
            {
                logical.SetTag("reliablerpc.attempts", call.Attempts);
            }

            ReliableRpcActivities.End(logical, failure);
            logical.Dispose();
        }
    }

    private ResiliencePipeline<RpcException?> CreateRetry() =>
        new ResiliencePipelineBuilder<RpcException?> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<RpcException?>
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => new(ShouldRetry(Call(args.Context), args.Outcome)),
                DelayGenerator = args => new(Call(args.Context).NextDelay),
            })
            .Build();

    private InterfaceBreaker CreateBreaker(string service)
    {
        var breaker = _options.CircuitBreaker;
        var state = new CircuitBreakerStateProvider();
        ReliableRpcMeter.SetBreakerState(service, 0);
        var pipeline = new ResiliencePipelineBuilder<RpcException?> { TimeProvider = _time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<RpcException?>
            {
                StateProvider = state,
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = args => new(OverloadClassifier.IsOverload(args.Outcome.Result)),
                OnOpened = args =>
                {
                    CircuitBreakerLog.Opened(_logger, service, args.BreakDuration, args.Outcome.Result?.Message ?? args.Outcome.Exception?.Message);
                    ReliableRpcMeter.SetBreakerState(service, 2);
                    ReliableRpcMeter.BreakerTransitions.Add(1, ReliableRpcMeter.ServiceAnd(service, "state", "open"));
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    CircuitBreakerLog.HalfOpened(_logger, service);
                    ReliableRpcMeter.SetBreakerState(service, 1);
                    ReliableRpcMeter.BreakerTransitions.Add(1, ReliableRpcMeter.ServiceAnd(service, "state", "half_open"));
                    return default;
                },
                OnClosed = _ =>
                {
                    CircuitBreakerLog.Closed(_logger, service);
                    ReliableRpcMeter.SetBreakerState(service, 0);
                    ReliableRpcMeter.BreakerTransitions.Add(1, ReliableRpcMeter.ServiceAnd(service, "state", "closed"));
                    return default;
                },
            })
            .Build();
        return new InterfaceBreaker(pipeline, state);
    }

    /// <summary>One interface's circuit: the pipeline that runs or refuses attempts, and its state read before sending.</summary>
    private sealed record InterfaceBreaker(ResiliencePipeline<RpcException?> Pipeline, CircuitBreakerStateProvider State);

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

        // Only the edge repeats an execution. Inside a grain method, a request refused before dispatch (a dead or
        // stopping silo) is re-sent, like gRPC's transparent retries at any layer: nothing ran, so nothing
        // multiplies, and the edge's few counted attempts are not spent in the seconds a dead silo takes to be
        // declared dead. Overload refusals are not re-sent from inside: the edge decides those. Neither is a refusal
        // that asks the caller to wait (RetryAfter: a silo's storage gate while its store is out): that is a
        // dependency asking for less load, so like overload it is the edge's to retry, and charged to the budget.
        var transparentUnavailable = decision == RetryDecision.Transparent && failure.Status == RpcStatus.Unavailable && failure.RetryAfter is null;
        if (!call.IsEdge && !transparentUnavailable)
        {
            return false;
        }

        // An attempt that got no answer at all within its timeout (a frozen or cut-off silo, until membership declares
        // it dead and the client drops its gateway) is bounded by the deadline, not the attempt count: counted, four 3 s
        // timeouts spent a 15 s call's attempts on a frozen silo seconds before it could have succeeded elsewhere. The
        // deadline still caps them (at most deadline ÷ AttemptTimeout), and the retry budget caps them fleet-wide.
        // A lost gateway ends every safe attempt in flight at once, on every gateway: only a call's first such loss is
        // free of the attempt count and the budget, so a gateway that flaps cannot re-send a call until its deadline.
        var freeGatewayLoss = call.LastAttemptLostGateway && call.GatewayLosses++ == 0;
        var unanswered = call.LastAttemptTimedOut && (!call.LastAttemptLostGateway || freeGatewayLoss);

        // A safe call whose method started and then met an unreachable silo (a reminder registration or a call of
        // its own refused by Orleans while a killed silo is not yet declared dead) is not NotExecuted, but like a
        // refusal it says nothing of load: bounded by the deadline, not the attempt count or the budget. Counted,
        // a kill -9 failed idempotent transfers whose four attempts came and went in the ~2 s before the death.
        var unreachable = decision == RetryDecision.Counted && IsUnreachableSilo(failure);

        // A refusal with pushback (shed for load, or a storage gate while the store is out) ran nothing but says the
        // target is struggling: it spends an attempt, so a call gives up after a few waits instead of holding its
        // caller's slot until the deadline (RedisOutageTests: 7 % of writes waited 5 s or more when it did not).
        var refusedWithPushback = failure.NotExecuted && failure.RetryAfter is not null;
        if ((decision == RetryDecision.Counted || refusedWithPushback) && !unanswered && !unreachable && ++call.CountedAttempts >= call.Profile.MaxAttempts)
        {
            return false;
        }

        var delay = FullJitterBackoff.Delay(call.Retries + 1, call.Profile, _jitter.NextDouble());
        if (failure.RetryAfter is { } pushback && pushback > delay)
        {
            delay = pushback;
        }

        if (call.Remaining - delay < _options.Retries.MinAttemptBudget)
        {
            return false;
        }

        // A call a dead or stopping silo refused before dispatch put no load on anything: its transparent retry is
        // bounded by the backoff and the deadline, not by the budget, which exists to spare a struggling
        // dependency. Measured: charging them, a kill -9 under 200 calls/s spent the budget in the ~2 s before
        // the silo was declared dead and failed ~4 % of calls that a short wait would have saved. The attempts a
        // lost gateway ended are exempt too: they are a burst of all the calls in flight, once per lost gateway,
        // not a sign of a struggling dependency; charged, a 15 min chaos run ended 46 of them as Unavailable. Only the
        // first per call: see freeGatewayLoss.
        if (!transparentUnavailable && !freeGatewayLoss && !unreachable && !_budget.TryAcquire())
        {
            ReliableRpcMeter.BudgetExhausted.Add(1, ReliableRpcMeter.Service(call.Policy.InterfaceName));
            call.Logical?.AddEvent(new ActivityEvent("retry_budget_exhausted"));
            return false;
        }

        call.NextDelay = delay;
        call.Retries++;
        var reason = decision == RetryDecision.Transparent ? "transparent" : "counted";
        ReliableRpcMeter.Retries.Add(1, ReliableRpcMeter.ServiceAnd(call.Policy.InterfaceName, "reason", reason));
        call.Logical?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            ["reason"] = reason, [ReliableRpcDiagnostics.StatusTag] = failure.Status.ToString(), ["delay_ms"] = (long)delay.TotalMilliseconds,
        }));
        return true;
    }

    /// <summary>An Unavailable whose cause is Orleans failing to reach a silo (a rejection, a connection refused).</summary>
    private static bool IsUnreachableSilo(RpcException failure) =>
        failure.Status == RpcStatus.Unavailable
        && failure.InnerException is OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException;

    /// <summary>
    /// The outcome as the caller sees it. Read several times per attempt (first attempt, retry decision, the end),
    /// so it has no side effects: an open circuit's refusal is already the brake (<see cref="AttemptAsync"/>).
    /// </summary>
    private static RpcException? Failure(CallExecution call, Outcome<RpcException?> outcome) => outcome.Exception switch
    {
        null => outcome.Result,
        BrokenCircuitException open => Brake(call, open), // not expected: Polly refuses synchronously
        var exception => RpcStatusMapper.ToRpcException(exception),
    };

    /// <summary>An open circuit's refusal, counted once: a brake that no edge retries.</summary>
    private static RpcException CircuitOpen(CallExecution call, BrokenCircuitException open)
    {
        ReliableRpcMeter.BreakerRejections.Add(1, ReliableRpcMeter.Service(call.Policy.InterfaceName));
        call.Logical?.AddEvent(new ActivityEvent("circuit_open"));
        return Brake(call, open);
    }

    private static RpcException Brake(CallExecution call, BrokenCircuitException open) =>
        new(RpcStatus.Unavailable, $"circuit open for {call.Policy.InterfaceName}: the call was not sent", notExecuted: true, open.RetryAfter)
        {
            ClientGenerated = true,
            IsBrake = true,
        };

    private static CallExecution Call(ResilienceContext context) => context.Properties.GetValue(CallKey, null!);
}
