using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;
using ReliableRpc.Deadlines.Internal;
using ReliableRpc.Hosting;
using ReliableRpc.MessageSize.Internal;
using ReliableRpc.Metadata.Internal;
using ReliableRpc.Policies.Internal;
using ReliableRpc.Shedding.Internal;
using ReliableRpc.Storage.Internal;
using ReliableRpc.Telemetry.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>
/// The receiver's side of the pipeline, on silos: sheds client calls over the silo's adaptive limit, refuses a call whose
/// budget is spent without running it, cancels the method's token at the deadline, makes the method's own calls
/// inherit what is left, refuses an oversize response, and clears <see cref="RpcException.NotExecuted"/> from
/// failures of a method that did start (other exceptions keep their type and get the <see cref="ExecutionMark"/>).
/// </summary>
internal sealed class IncomingCallFilter(
    MethodPolicyCache policies,
    ClientCallGate gate,
    RequestFingerprint fingerprint,
    StorageGate storage,
    IOptions<ReliableRpcOptions> options,
    [FromKeyedServices(ReliableRpcServices.TimeProviderKey)] TimeProvider time) : IIncomingGrainCallFilter
{
    private readonly bool _shedding = options.Value.Shedding.Enabled;
    private readonly MessageSizeOptions _size = options.Value.MessageSize;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        var policy = policies.Get(context.Request);
        if (policy.IsPassThrough)
        {
            return context.Invoke();
        }

        // Only calls from clients are shed: calls between grains are work in progress, and starving them of
        // the silo to let new work in would only make every call slower.
        if (!_shedding || context.SourceId is not { } source || !source.IsClient())
        {
            return InvokeAsync(context, policy);
        }

        if (gate.TryEnter(policy.InterfaceName) is not { } lease)
        {
            Activity.Current?.AddEvent(new ActivityEvent("shed"));
            context.Response = Response.FromException(gate.Refusal(policy.ToString()));
            return Task.CompletedTask;
        }

        return InvokeGatedAsync(context, policy, lease);
    }

    private async Task InvokeGatedAsync(IIncomingGrainCallContext context, MethodPolicy policy, AdaptiveConcurrencyLimiter.CallLease lease)
    {
        try
        {
            await InvokeAsync(context, policy, lease);
        }
        finally
        {
            lease.Dispose();
        }
    }

    /// <param name="context">The call.</param>
    /// <param name="policy">Its method's policy.</param>
    /// <param name="lease">The shedding limit's lease of a client call, which learns the call's service time; else null.</param>
    private async Task InvokeAsync(IIncomingGrainCallContext context, MethodPolicy policy, AdaptiveConcurrencyLimiter.CallLease? lease = null)
    {
        var metadata = CallMetadataCarrier.Take();
        var budget = metadata?.Budget ?? policy.Deadline;
        var request = context.Request;

        // Checked at dispatch, not only on arrival: a call that waited in the activation's queue past its
        // deadline, or that its caller already gave up on, is not run.
        if (budget <= TimeSpan.Zero || (policy.IsCancellable && request.GetCancellationToken().IsCancellationRequested))
        {
            ReliableRpcMeter.DeadlineExceeded.Add(1, ReliableRpcMeter.ServiceAnd(policy.InterfaceName, "side", "arrival"));
            Activity.Current?.AddEvent(new ActivityEvent("expired_on_arrival"));
            context.Response = Response.FromException(CallDeadline.ExceededAtReceiver(policy, budget, notExecuted: true, "before running"));
            return;
        }

        // A keyed call is a write by contract. While the silo's storage gate is open its write would not be sent, and
        // only here, before the method starts, can a refusal tell the caller that nothing ran.
        var key = policy.AcceptsKey ? metadata?.IdempotencyKey : null;
        if (key is not null && storage.IsOpen)
        {
            Activity.Current?.AddEvent(new ActivityEvent("storage_gate_open"));
            context.Response = Response.FromException(storage.RefusalBeforeEffect($"a keyed call of {policy}", methodStarted: false));
            return;
        }

        var started = time.GetTimestamp();
        var service = ReliableRpcMeter.Service(policy.InterfaceName);
        ReliableRpcMeter.ServerActiveCalls.Add(1, service);
        var status = nameof(RpcStatus.OK);
        var incoming = new IncomingRpcCall(time, budget, started, metadata?.Attempt ?? 1, key, key is null ? null : fingerprint.Compute(request, policy));
        RpcCall.SetIncoming(incoming);
        ITimer? cancelAtDeadline = null;
        DeadlineCanceller? canceller = null;
        try
        {
            var invocation = context.Invoke();

            // The timer that cancels the method's token at the deadline is only needed by a method still running
            // when it returns its task: most finish at once, and a timer per call is the filter's dearest part.
            if (policy.IsCancellable && !invocation.IsCompleted)
            {
                var left = budget - time.GetElapsedTime(started);
                canceller = new DeadlineCanceller(request);
                cancelAtDeadline = time.CreateTimer(DeadlineCanceller.Fire, canceller, left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }

            await invocation;

            // A filter inside this one may have put a failure in the response without throwing it.
            if (context.Response?.Exception is { } answered)
            {
                ExecutionMark.Set(answered);
            }
        }
        catch (RpcException failure) when (failure.NotExecuted)
        {
            // One of the method's own calls did not run, but this method did: its caller must not think otherwise.
            // Marked too, so the caller hands it on as this method's failure, not as a transport failure of its own.
            status = failure.Status.ToString();
            throw ExecutionMark.Set(failure.AsExecuted());
        }
        catch (RpcDeadlineExceededException failure) when (failure.NotExecuted)
        {
            status = nameof(RpcStatus.DeadlineExceeded);
            throw ExecutionMark.Set(failure.AsExecuted());
        }
        catch (OperationCanceledException) when (canceller is { Fired: true } || time.GetElapsedTime(started) >= budget)
        {
            // The method's token (or one of its calls, cancelled with it) was cancelled by this deadline.
            status = nameof(RpcStatus.DeadlineExceeded);
            throw CallDeadline.ExceededAtReceiver(policy, budget, notExecuted: false, "running");
        }
        catch (Exception failure)
        {
            // Its type stays as thrown; the mark tells every caller up the chain that this method ran.
            ExecutionMark.Set(failure);
            status = RpcStatusMapper.ToRpcException(failure).Status.ToString();
            throw;
        }
        finally
        {
            // Work the method started and did not await still holds this call: its later calls must be edges.
            incoming.Complete();
            cancelAtDeadline?.Dispose();

            // What a silo serves, for its operator's view (the caller's own figures are on the caller's side).
            ReliableRpcMeter.ServerActiveCalls.Add(-1, service);
            ReliableRpcMeter.ServerCallDuration.Record(time.GetElapsedTime(started).TotalSeconds, ReliableRpcMeter.Outcome(policy.InterfaceName, policy.MethodName, status));
        }

        // Only a success measures the silo: a failure may be fast (refused) or slow (timed out) for reasons of its own.
        if (context.Response?.Exception is null)
        {
            lease?.Served(incoming.StorageWaitTicks);
        }

        if (_size.Enabled && policy.ResultMayBeLarge)
        {
            RefuseOversizeResponse(context, policy);
        }
    }

    /// <summary>
    /// Replaces a response over the limit with a clear failure, before Orleans would refuse it by closing the
    /// connection and failing every other call on it.
    /// </summary>
    private void RefuseOversizeResponse(IIncomingGrainCallContext context, MethodPolicy policy)
    {
        var size = PayloadSize.Estimate(context.Result, _size.MaxResponseBytes);
        if (size > _size.MaxResponseBytes)
        {
            ReliableRpcMeter.Oversize.Add(1, new KeyValuePair<string, object?>("direction", "response"));
            throw new RpcException(RpcStatus.ResourceExhausted,
                $"response of {policy} is about {size:N0} bytes, over the limit of {_size.MaxResponseBytes:N0} (ReliableRpc:MessageSize:MaxResponseBytes); fetch large data in chunks");
        }
    }

    /// <summary>
    /// Cancels a running method's token at its deadline and remembers that it did: a timer may fire up to a
    /// millisecond before the elapsed time reaches the budget (due times are whole milliseconds), and the
    /// cancellation must still read as the deadline, not as Cancelled.
    /// </summary>
    private sealed class DeadlineCanceller(IInvokable request)
    {
        private volatile bool _fired;

        public bool Fired => _fired;

        public static void Fire(object? state)
        {
            var canceller = (DeadlineCanceller)state!;
            canceller._fired = true;
            CancelQuietly(canceller.Request);
        }

        private IInvokable Request => request;
    }

    private static void CancelQuietly(IInvokable request)
    {
        try
        {
            request.TryCancel();
        }
        catch (ObjectDisposedException)
        {
            // The call completed and its request was disposed as the timer fired: nothing left to cancel.
        }
    }
}
