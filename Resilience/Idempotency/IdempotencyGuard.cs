using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using ReliableRpc.Hosting;
using ReliableRpc.Idempotency.Internal;
using ReliableRpc.Retries.Internal;
using ReliableRpc.Storage.Internal;
using ReliableRpc.Telemetry.Internal;

namespace ReliableRpc;

/// <summary>
/// Runs a grain's keyed effects exactly once. Inject it into a grain whose state implements
/// <see cref="IIdempotentState"/>, and route each keyed method through <see cref="ExecuteOnceAsync{TState, T}"/>:
/// <code>
/// public Task&lt;long&gt; Deposit(long amount, CancellationToken ct) =>
///     idempotency.ExecuteOnceAsync(this, account, state => new AccountBook(state).Deposit(amount));
/// </code>
/// </summary>
public sealed class IdempotencyGuard
{
    private readonly IdempotencyOptions _options;
    private readonly TimeSpan _minimumRetention;
    private readonly TimeSpan _retention;
    private readonly TimeProvider _time;

    private readonly Serializer _serializer;

    /// <summary>Creates the guard (registered by <c>AddReliableRpc</c> on silos).</summary>
    public IdempotencyGuard(
        IOptions<ReliableRpcOptions> options,
        IOptions<SiloMessagingOptions> messaging,
        Serializer serializer,
        [FromKeyedServices(ReliableRpcServices.TimeProviderKey)] TimeProvider time)
    {
        _serializer = serializer;
        _options = options.Value.Idempotency;
        _minimumRetention = RepeatHorizon.Of(options.Value.Deadlines.MaxDeadline, messaging.Value.ResponseTimeout, _options.ClockSkewAllowance);
        _retention = _options.Retention > _minimumRetention ? _options.Retention : _minimumRetention;
        _time = time;
    }

    /// <summary>
    /// Applies <paramref name="effect"/> to the state and writes it, once per idempotency key. A repeat of the key
    /// with the same arguments gets the stored outcome without running the effect; with other arguments it fails
    /// with InvalidArgument. A call without a key just runs. The record is written in the same storage write as the
    /// effect, and answers repeats only once that write has succeeded: a repeat that arrives while it is in flight (on
    /// a reentrant grain, or from an interleaving method) waits for it, and gets its failure if it fails. The effect
    /// must not change the state before it throws an <see cref="RpcException"/> or an <see cref="ArgumentException"/>:
    /// those are recorded as the outcome when they say the same request would fail the same way (InvalidArgument,
    /// FailedPrecondition, NotFound...), and thrown unrecorded when transient (Unavailable, Aborted...), so a repeat
    /// runs the effect again; any other exception deactivates the grain.
    /// </summary>
    public async Task<T> ExecuteOnceAsync<TState, T>(IGrainBase grain, IPersistentState<TState> state, Func<TState, T> effect)
        where TState : IIdempotentState
    {
        // Work a method left running after its call completed is not that call: it must not reuse the call's key.
        var incoming = RpcCall.Incoming;
        if (incoming is not { Completed: false, IdempotencyKey: { } key })
        {
            ThrowIfStorageGateOpen(grain);
            var result = Apply(grain, state.State, effect);
            await grain.WriteStateOrDeactivateAsync(state);
            return result;
        }

        var records = state.State.IdempotencyRecords;

        // Looked at before the records: a record whose write is in flight, or failed, is in memory but not stored.
        if (records.InProgress.TryGetValue(key, out var running))
        {
            return Replay<T>(key, await running, incoming);
        }

        if (records.TryGet(key, out var record))
        {
            return Replay<T>(key, record, incoming);
        }

        if (records.Count >= _options.RecordLimit)
        {
            RefuseOverLimit(grain, key, records);
        }

        ThrowIfStorageGateOpen(grain);

        var completion = new TaskCompletionSource<IdempotencyRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        records.InProgress[key] = completion.Task;
        IdempotencyRecord outcome;
        Exception? failed;
        try
        {
            (outcome, failed) = Record(grain, state.State, effect, incoming.RequestFingerprint!);
        }
        catch (RpcException transient) when (!RetryClassifier.IsNeverRetried(transient.Status))
        {
            // Not the key's outcome, and the effect changed nothing before it threw: a repeat runs it again.
            records.InProgress.Remove(key);
            completion.SetException(transient);
            throw;
        }
        catch (Exception failure)
        {
            Abandon(grain, completion, failure);
            throw;
        }

        try
        {
            records.Add(key, outcome);
            records.Trim(_time.GetUtcNow(), _retention, _options.MaxRecords, _minimumRetention);
            ReliableRpcMeter.IdempotencyRecords.Record(records.Count, new KeyValuePair<string, object?>("grain_type", grain.GetType().Name));
            await grain.WriteStateOrDeactivateAsync(state);
        }
        catch (Exception failure)
        {
            Abandon(grain, completion, failure);
            throw;
        }

        records.InProgress.Remove(key);
        completion.SetResult(outcome);
        if (failed is not null)
        {
            // The first call gets the exception itself, every field intact; repeats get the recorded copy.
            ExceptionDispatchInfo.Throw(failed);
        }

        return Outcome<T>(outcome);
    }

    /// <summary>
    /// Refuses the effect before it runs while the silo's storage gate is open: its write would not be sent. The
    /// method has started and may have done other things first, so the refusal is not NotExecuted; keyed calls from
    /// an edge are refused earlier, by the incoming filter, before the method starts. Repeats of recorded keys were
    /// answered above, from memory, and reads never come here.
    /// </summary>
    private static void ThrowIfStorageGateOpen(IGrainBase grain)
    {
        if (grain.GrainContext.ActivationServices.GetService<StorageGate>() is { IsOpen: true } gate)
        {
            throw gate.RefusalBeforeEffect($"a write to {grain.GrainContext.GrainId}", methodStarted: true);
        }
    }

    /// <summary>
    /// Throws when the state carries <see cref="IdempotencyOptions.RecordLimit"/> records and none can be dropped yet:
    /// the new key is not run, so nothing is applied twice and the state stops growing.
    /// </summary>
    private void RefuseOverLimit(IGrainBase grain, string key, IdempotencyRecords records)
    {
        // Records may have aged out since the last write: drop those first.
        var now = _time.GetUtcNow();
        records.Trim(now, _retention, _options.MaxRecords, _minimumRetention);
        if (records.Count < _options.RecordLimit)
        {
            return;
        }

        var retryAfter = records.OldestRecordedAt() is { } oldest ? oldest + _minimumRetention - now : _minimumRetention;
        if (retryAfter < MinimumRetryAfter)
        {
            retryAfter = MinimumRetryAfter;
        }

        ReliableRpcMeter.IdempotencyRefusals.Add(1, new KeyValuePair<string, object?>("grain_type", grain.GetType().Name));
        // Not marked NotExecuted, though nothing ran: thrown from inside the method, it could not be told from a
        // failed call of the method's own. A keyed call may be repeated whatever the flag says.
        throw new RpcException(RpcStatus.ResourceExhausted,
            $"{grain.GrainContext.GrainId} holds {records.Count:N0} idempotency records a repeat could still reach (younger than MaxDeadline + the response timeout + Idempotency:ClockSkewAllowance), its limit (Idempotency:RecordLimit); key {key} was not run: spread keyed calls over more grains",
            notExecuted: false, retryAfter)
        {
            Metadata = new Dictionary<string, string> { [RpcException.QuotaKey] = "Idempotency:RecordLimit" },
        };
    }

    private static readonly TimeSpan MinimumRetryAfter = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Ends a keyed call that failed after its effect may have run: memory may hold a change or a record that is not
    /// stored. The activation goes (a failed write has already sent it), and the failed task stays in progress, so a
    /// repeat that reaches this activation meanwhile gets the failure, never that record's answer.
    /// </summary>
    private static void Abandon(IGrainBase grain, TaskCompletionSource<IdempotencyRecord> completion, Exception failure)
    {
        grain.DeactivateOnIdle();
        completion.SetException(failure);
    }

    private static T Apply<TState, T>(IGrainBase grain, TState state, Func<TState, T> effect)
    {
        try
        {
            return effect(state);
        }
        catch (Exception exception) when (exception is not (RpcException or ArgumentException))
        {
            // The state may be half changed: drop the activation so the next call reloads it.
            grain.DeactivateOnIdle();
            throw;
        }
    }

    private (IdempotencyRecord Record, Exception? Failure) Record<TState, T>(IGrainBase grain, TState state, Func<TState, T> effect, string fingerprint)
    {
        try
        {
            var result = Apply(grain, state, effect);
            return (new IdempotencyRecord { Fingerprint = fingerprint, RecordedAt = _time.GetUtcNow(), Result = _serializer.SerializeToArray(result) }, null);
        }
        catch (Exception failure) when (failure is RpcException or ArgumentException && IsFinal(failure))
        {
            var rpc = RpcStatusMapper.ToRpcException(failure);
            var record = new IdempotencyRecord
            {
                Fingerprint = fingerprint,
                RecordedAt = _time.GetUtcNow(),
                FailureStatus = rpc.Status,
                FailureDetail = rpc.Detail,
                FailureException = SerializeFailure(failure),
            };
            return (record, failure);
        }
    }

    /// <summary>
    /// The most a failure record keeps of its exception (type, message, stack, inner exceptions, Data), serialized:
    /// a larger one is recorded by status and detail only, so failures cannot swell every write of the state.
    /// </summary>
    public const int MaxFailureExceptionBytes = 2_048;

    /// <summary>The exception's bytes to replay it as thrown; null when it is too large or has no codec.</summary>
    private byte[]? SerializeFailure(Exception failure)
    {
        try
        {
            var bytes = _serializer.SerializeToArray(failure);
            return bytes.Length <= MaxFailureExceptionBytes ? bytes : null;
        }
        catch (Exception notSerializable) when (notSerializable is not OutOfMemoryException)
        {
            // A type of the application's own without [GenerateSerializer]: its status and detail still replay.
            return null;
        }
    }

    // Only a failure that the same request would meet again is the key's outcome; a transient one (Unavailable,
    // Aborted, Unknown...) is thrown unrecorded, so the caller's retry runs the effect again.
    private static bool IsFinal(Exception failure) => RetryClassifier.IsNeverRetried(RpcStatusMapper.ToRpcException(failure).Status);

    private T Replay<T>(string key, IdempotencyRecord record, IncomingRpcCall incoming)
    {
        if (record.Fingerprint != incoming.RequestFingerprint)
        {
            throw new RpcException(RpcStatus.InvalidArgument, $"idempotency key {key} reused with a different request");
        }

        ReliableRpcMeter.DedupHits.Add(1);
        System.Diagnostics.Activity.Current?.AddEvent(new System.Diagnostics.ActivityEvent("dedup_hit"));
        return Outcome<T>(record);
    }

    /// <summary>The stored outcome: the result, or the failure thrown as the type first thrown.</summary>
    private T Outcome<T>(IdempotencyRecord record)
    {
        if (record.FailureStatus is not { } status)
        {
            return Deserialize<T>(record.Result);
        }

        if (record.FailureException is { } stored && Deserialized(stored) is { } thrown)
        {
            ExceptionDispatchInfo.Throw(thrown);
        }

        throw new RpcException(status, record.FailureDetail ?? status.ToString());
    }

    /// <summary>
    /// The recorded exception; null when it cannot be read as its own type any more (renamed, removed, refused by the
    /// type filter), so the record's status replays instead of a retryable Unknown.
    /// </summary>
    private Exception? Deserialized(byte[] stored)
    {
        try
        {
            var exception = _serializer.Deserialize<Exception>(stored);
            return exception is null or UnavailableExceptionFallbackException ? null : exception;
        }
        catch (Exception unreadable) when (unreadable is not OutOfMemoryException)
        {
            return null;
        }
    }

    private T Deserialize<T>(byte[]? bytes) => _serializer.Deserialize<T>(bytes ?? throw new InvalidOperationException("an idempotency record without a result"))!;
}
