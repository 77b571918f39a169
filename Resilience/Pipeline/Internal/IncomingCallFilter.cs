using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Serialization.Invocation;
using ReliableRpc.Deadlines.Internal;
using ReliableRpc.Hosting;
using ReliableRpc.Metadata.Internal;
using ReliableRpc.Policies.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>
/// The receiver's side of the pipeline, on silos: refuses a call whose budget is spent without running it,
/// cancels the method's token at the deadline, makes the method's own calls inherit what is left, and
/// clears <see cref="RpcException.NotExecuted"/> from failures of a method that did start.
/// </summary>
internal sealed class IncomingCallFilter(
    MethodPolicyCache policies,
    [FromKeyedServices(ReliableRpcServices.TimeProviderKey)] TimeProvider time) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        var policy = policies.Get(context.Request);
        return policy.IsPassThrough ? context.Invoke() : InvokeAsync(context, policy);
    }

    private async Task InvokeAsync(IIncomingGrainCallContext context, MethodPolicy policy)
    {
        var metadata = CallMetadataCarrier.Take();
        var budget = metadata?.Budget ?? policy.Deadline;
        var request = context.Request;

        // Checked at dispatch, not only on arrival: a call that waited in the activation's queue past its
        // deadline, or that its caller already gave up on, is not run.
        if (budget <= TimeSpan.Zero || (policy.IsCancellable && request.GetCancellationToken().IsCancellationRequested))
        {
            context.Response = Response.FromException(CallDeadline.Exceeded(policy, budget, notExecuted: true, "before running"));
            return;
        }

        var started = time.GetTimestamp();
        using var cancelAtDeadline = policy.IsCancellable
            ? time.CreateTimer(static state => CancelQuietly((IInvokable)state!), request, budget, Timeout.InfiniteTimeSpan)
            : null;
        RpcCall.SetIncoming(new IncomingRpcCall(time, budget, started, metadata?.Attempt ?? 1));
        try
        {
            await context.Invoke();
        }
        catch (RpcException failure) when (failure.NotExecuted)
        {
            // One of the method's own calls did not run, but this method did: its caller must not think otherwise.
            throw failure.AsExecuted();
        }
        catch (OperationCanceledException) when (time.GetElapsedTime(started) >= budget)
        {
            throw CallDeadline.Exceeded(policy, budget, notExecuted: false, "running");
        }
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
