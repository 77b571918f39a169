using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Serialization.Invocation;
using ReliableRpc.Deadlines.Internal;
using ReliableRpc.Hosting;
using ReliableRpc.Metadata.Internal;
using ReliableRpc.Policies.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>
/// The caller's side of the pipeline, on clients and silos: gives each call its deadline, carries the
/// budget when the receiver cannot derive it, and returns every failure as an <see cref="RpcException"/>.
/// </summary>
internal sealed class OutgoingCallFilter(
    MethodPolicyCache policies,
    IOptions<ReliableRpcOptions> options,
    [FromKeyedServices(ReliableRpcServices.TimeProviderKey)] TimeProvider time) : IOutgoingGrainCallFilter
{
    private readonly TimeSpan _maxDeadline = options.Value.Deadlines.MaxDeadline;

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        var policy = policies.Get(context.Request);
        return policy.IsPassThrough ? context.Invoke() : InvokeAsync(context, policy);
    }

    private async Task InvokeAsync(IOutgoingGrainCallContext context, MethodPolicy policy)
    {
        var timeout = CallDeadline.Resolve(policy, RpcCall.Current, RpcCall.Incoming, _maxDeadline);
        if (timeout < TimeSpan.FromMilliseconds(1))
        {
            // Nothing is left of the deadline: the call is not sent at all.
            Fail(context, policy, CallDeadline.Exceeded(policy, timeout, notExecuted: true, "before calling"));
            return;
        }

        if (CallDeadline.MustTravel(timeout, policy))
        {
            CallMetadataCarrier.Write(new CallMetadata((uint)timeout.TotalMilliseconds, attempt: 1));
        }

        var callerToken = policy.IsCancellable ? context.Request.GetCancellationToken() : default;
        var failure = await AttemptInvoker.InvokeAsync(context, policy, callerToken, timeout, time);
        if (failure is not null)
        {
            Fail(context, policy, failure);
        }
    }

    /// <summary>
    /// Hands the failure to the caller: as the call's response where Orleans reads one (no throw inside the
    /// pipeline), thrown where it does not (methods returning a bare Task).
    /// </summary>
    private static void Fail(IOutgoingGrainCallContext context, MethodPolicy policy, RpcException failure)
    {
        if (!policy.HasResult)
        {
            throw failure;
        }

        context.Response = Response.FromException(failure);
    }
}
