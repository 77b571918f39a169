using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Serialization.Invocation;
using ReliableRpc.Deadlines.Internal;
using ReliableRpc.Hosting;
using ReliableRpc.MessageSize.Internal;
using ReliableRpc.Telemetry.Internal;
using ReliableRpc.Policies.Internal;
using ReliableRpc.Retries.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>
/// The caller's side of the pipeline, on clients and silos: gives each call its deadline, retries at the
/// edge only, carries the budget when the receiver cannot derive it, and hands the caller each failure as plain
/// Orleans would (<see cref="CallerFailure"/>). Registered as the first outgoing filter, so every user filter runs
/// inside it, once per attempt.
/// </summary>
internal sealed class OutgoingCallFilter : IOutgoingGrainCallFilter
{
    private readonly MethodPolicyCache _policies;
    private readonly ReliableRpcOptions _options;
    private readonly TimeProvider _time;
    private readonly CallPipeline _pipeline;
    private readonly GatewayLossSignal? _gatewayLoss;

    public OutgoingCallFilter(
        MethodPolicyCache policies,
        IOptions<ReliableRpcOptions> options,
        RetryBudget budget,
        JitterSource jitter,
        ILogger<OutgoingCallFilter> logger,
        [FromKeyedServices(ReliableRpcServices.TimeProviderKey)] TimeProvider time,
        IRetryRequests retries,
        GatewayLossSignal? gatewayLoss = null)
    {
        _gatewayLoss = gatewayLoss;
        _policies = policies;
        _options = options.Value;
        _time = time;
        _pipeline = new CallPipeline(_options, budget, jitter, time, logger, retries);
    }

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (RetryRequests.IsRetryAttempt(context.Request))
        {
            // An attempt this pipeline is sending: its logical call is already under way.
            return context.Invoke();
        }

        var policy = _policies.Get(context.Request);
        return policy.IsPassThrough ? context.Invoke() : InvokeAsync(context, policy);
    }

    private Task InvokeAsync(IOutgoingGrainCallContext context, MethodPolicy policy)
    {
        var scope = RpcCall.Current;
        // A call made after its parent call completed (by work the parent started and did not await) is an edge.
        var incoming = RpcCall.Incoming is { Completed: false } parent ? parent : null;
        var timeout = CallDeadline.Resolve(policy, scope, incoming, _options.Deadlines.MaxDeadline);
        if (timeout < TimeSpan.FromMilliseconds(1))
        {
            // Nothing is left of the deadline: the call is not sent at all.
            return Refuse(context, policy, CallDeadline.Exceeded(policy, timeout, notExecuted: true, "before calling"));
        }

        if (_options.MessageSize.Enabled && TooLarge(context, policy) is { } oversize)
        {
            return Refuse(context, policy, oversize);
        }

        var profileName = scope?.RetryProfile ?? policy.RetryProfileName;
        if (!_options.Retries.Profiles.TryGetValue(profileName, out var profile))
        {
            return Refuse(context, policy, new RpcException(RpcStatus.InvalidArgument, $"unknown retry profile '{profileName}' calling {policy}", notExecuted: true) { ClientGenerated = true });
        }

        // One key per logical call, never per attempt: the caller's, or at an edge a new one. A key given to a
        // method whose grain does not de-duplicate is ignored: it must not make that call look safe to repeat.
        var key = policy.AcceptsKey ? scope?.IdempotencyKey ?? (incoming is null ? Guid.NewGuid().ToString("N") : null) : null;
        if (key is not null && scope?.KeyUse is { } use && !use.TryTake())
        {
            return Refuse(context, policy, new RpcException(RpcStatus.InvalidArgument,
                $"idempotency key {key} was already taken by a call in this scope; calling {policy}: give each keyed call a RpcCall.IdempotencyKey scope of its own",
                notExecuted: true) { ClientGenerated = true });
        }
        var call = new CallExecution(context, policy, profile, isEdge: incoming is null, _options.Retries.Enabled, timeout, _time, key);
        if (_gatewayLoss is not null && call.IsEdge && call.CanRetry && call.IsSafeToRepeat)
        {
            call.GatewayLoss = _gatewayLoss;
        }

        return _pipeline.ExecuteAsync(call);
    }

    /// <summary>The refusal of a request over the size limit, measured before anything is sent; null when it fits.</summary>
    private RpcException? TooLarge(IOutgoingGrainCallContext context, MethodPolicy policy)
    {
        if (policy.SizedArguments.Length == 0)
        {
            return null;
        }

        var limit = _options.MessageSize.MaxRequestBytes;
        long size = 0;
        foreach (var index in policy.SizedArguments)
        {
            size += PayloadSize.Estimate(context.Request.GetArgument(index), limit);
        }

        if (size <= limit)
        {
            return null;
        }

        ReliableRpcMeter.Oversize.Add(1, new KeyValuePair<string, object?>("direction", "request"));
        return new RpcException(RpcStatus.ResourceExhausted,
            $"request to {policy} is about {size:N0} bytes, over the limit of {limit:N0} (ReliableRpc:MessageSize:MaxRequestBytes); send large data in chunks",
            notExecuted: true) { ClientGenerated = true };
    }

    /// <summary>A call refused before it was sent, as the filter's task.</summary>
    private static Task Refuse(IOutgoingGrainCallContext context, MethodPolicy policy, RpcException failure) =>
        CallerFailure.Deliver(context, policy, failure);
}
