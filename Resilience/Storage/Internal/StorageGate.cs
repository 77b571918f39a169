using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Polly;
using Polly.CircuitBreaker;
using ReliableRpc.Hosting;
using ReliableRpc.Telemetry.Internal;

namespace ReliableRpc.Storage.Internal;

/// <summary>
/// A silo's gate in front of grain storage (see <see cref="StorageGateOptions"/>). Polly's circuit breaker keeps the
/// state; this type adds what it has no notion of: a write that stalls counts as failed after
/// <see cref="StorageGateOptions.StallThreshold"/> (storage clients tend to wait their own, longer timeout, and a
/// write that never returns never reports), the writes still waiting are let go when the gate opens, and callers ask
/// before their effect whether a write would be refused.
/// </summary>
internal sealed partial class StorageGate
{
    private readonly StorageGateOptions _options;
    private readonly bool _enabled;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _state = new();
    private CancellationTokenSource _opened = new();
    private long _breakEndsTicks;

    public StorageGate(IOptions<ReliableRpcOptions> options, [FromKeyedServices(ReliableRpcServices.TimeProviderKey)] TimeProvider time, ILogger<StorageGate> logger)
    {
        _options = options.Value.StorageGate;
        _enabled = options.Value.Enabled && _options.Enabled;
        _time = time;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = _options.FailureRatio,
                MinimumThroughput = _options.MinimumThroughput,
                SamplingDuration = _options.SamplingDuration,
                BreakDuration = _options.BreakDuration,
                StateProvider = _state,
                // An ETag refusal is storage answering (another activation wrote), not storage failing.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not InconsistentStateException),
                OnOpened = args =>
                {
                    Volatile.Write(ref _breakEndsTicks, (_time.GetUtcNow() + args.BreakDuration).UtcTicks);
                    // Writes still waiting would wait their stall threshold each: let them go now.
                    // Not disposed: an operation may be reading its token right now, and a source without timers holds
                    // nothing that needs disposing.
                    Interlocked.Exchange(ref _opened, new CancellationTokenSource()).Cancel();
                    ReliableRpcMeter.StorageGateTransitions.Add(1, new KeyValuePair<string, object?>("state", "open"));
                    LogOpened(_logger, _options.BreakDuration);
                    return default;
                },
                OnClosed = _ =>
                {
                    ReliableRpcMeter.StorageGateTransitions.Add(1, new KeyValuePair<string, object?>("state", "closed"));
                    LogClosed(_logger);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>
    /// Whether a write would be refused now: asked before an effect, so that its refusal is NotExecuted. Once the
    /// break is over it is false although Polly still reports Open (it moves to half-open only when an operation
    /// comes): the next one must be let through to be the probe. While that probe is out (half-open) it is true again,
    /// so that other effects are refused before they run rather than after, when Polly turns their writes away.
    /// </summary>
    public bool IsOpen => _enabled && _state.CircuitState switch
    {
        CircuitState.Isolated or CircuitState.HalfOpen => true,
        CircuitState.Open => _time.GetUtcNow().UtcTicks < Volatile.Read(ref _breakEndsTicks),
        _ => false,
    };

    /// <summary>
    /// A refusal of an effect while the gate is open, retry after the break. <paramref name="methodStarted"/> false only
    /// where nothing of the method can have run (the incoming filter, before it invokes the method): only that refusal
    /// is NotExecuted.
    /// </summary>
    public RpcException RefusalBeforeEffect(string what, bool methodStarted) =>
        Refusal(methodStarted ? "in_method" : "before_method", $"grain storage stopped answering, so {what} was refused before its effect", notExecuted: !methodStarted);

    /// <summary>
    /// A state read refused while the gate is open: the grain is not activated, so no method of it ran. Only inactive
    /// grains read; an active grain's reads are answered from its memory and never come here.
    /// </summary>
    public RpcException ReadRefusal(string grain) =>
        Refusal("activation", $"{grain} could not be activated, its state was not read", notExecuted: true);

    /// <summary>
    /// A write refused after its method ran (the gate opened meanwhile): nothing was written, but the method may have
    /// done other things, so the refusal is not NotExecuted. The activation deactivates, dropping its memory.
    /// </summary>
    public RpcException RefusalAfterEffect(string grain) =>
        Refusal("after_effect", $"the write of {grain} was refused, nothing was written; the method had run, so this is not a refusal before it", notExecuted: false);

    /// <summary>Every refusal: Unavailable, the break as RetryAfter, counted by when it came.</summary>
    private RpcException Refusal(string when, string what, bool notExecuted)
    {
        ReliableRpcMeter.StorageGateRefusals.Add(1, new KeyValuePair<string, object?>("when", when));
        return new RpcException(RpcStatus.Unavailable,
            $"storage gate open on this silo: {what}; retry after {_options.BreakDuration.TotalMilliseconds:0} ms",
            notExecuted, retryAfter: _options.BreakDuration);
    }

    /// <summary>
    /// Runs a storage operation (<paramref name="operation"/>: a write or clear; with <paramref name="read"/>, a state read)
    /// through the gate. Throws <see cref="BrokenCircuitException"/> when the gate is open (nothing was sent), an
    /// <see cref="RpcException"/> when the operation did not finish within the stall threshold or was let go when the
    /// gate opened (<see cref="Stalled"/>), or the operation's own exception.
    /// </summary>
    public async ValueTask RunAsync<TState>(Func<TState, Task> operation, TState argument, bool read = false)
    {
        // The call this operation serves (if any) learns how long it waited on storage: the shedding limit leaves it out.
        var call = RpcCall.Incoming;
        call?.StorageStarted(_time.GetTimestamp());
        try
        {
            await RunThroughGateAsync(operation, argument, read);
        }
        finally
        {
            call?.StorageEnded(_time.GetTimestamp());
        }
    }

    private ValueTask RunThroughGateAsync<TState>(Func<TState, Task> operation, TState argument, bool read)
    {
        if (!_enabled)
        {
            return new ValueTask(operation(argument));
        }

        return _pipeline.ExecuteAsync(static async (state, cancellationToken) =>
        {
            var (gate, operation, argument, read) = state;
            var opened = Volatile.Read(ref gate._opened).Token;
            var task = operation(argument);
            try
            {
                await task.WaitAsync(gate._options.StallThreshold, gate._time, opened);
            }
            catch (Exception waited) when (waited is TimeoutException || (waited is OperationCanceledException && opened.IsCancellationRequested))
            {
                // Nobody awaits it any more: observe its end, whatever it is.
                _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw gate.Stalled(read, opened.IsCancellationRequested);
            }
        }, (this, operation, argument, read), CancellationToken.None);
    }

    /// <summary>
    /// An operation that did not finish within the stall threshold, or was still waiting when the gate opened. A write
    /// may still commit: its outcome is unknown. A state read that stalled left the grain unactivated: nothing ran.
    /// </summary>
    internal RpcException Stalled(bool read, bool gateOpened)
    {
        var why = gateOpened
            ? "was still waiting when the storage gate opened"
            : $"did not finish within {_options.StallThreshold.TotalMilliseconds:0} ms (StorageGate:StallThreshold)";
        return read
            ? new RpcException(RpcStatus.Unavailable, $"grain storage read {why}; the grain was not activated", notExecuted: true, retryAfter: _options.BreakDuration)
            : new RpcException(RpcStatus.Unknown, $"grain storage write {why}; it may still commit");
    }

    [LoggerMessage(EventId = 400, EventName = "StorageGateOpened", Level = LogLevel.Warning,
        Message = "Storage gate opened: grain storage operations are failing or stalling. Keyed calls, writes and activations are refused for {BreakDuration}, then one operation is let through as the probe.")]
    private static partial void LogOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(EventId = 401, EventName = "StorageGateClosed", Level = LogLevel.Information,
        Message = "Storage gate closed: a probe operation succeeded, storage is used again.")]
    private static partial void LogClosed(ILogger logger);
}
