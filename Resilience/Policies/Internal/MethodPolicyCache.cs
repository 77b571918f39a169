using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;
using ReliableRpc.MessageSize.Internal;

namespace ReliableRpc.Policies.Internal;

/// <summary>
/// Resolves and caches a <see cref="MethodPolicy"/> per generated request type (one per interface method).
/// </summary>
internal sealed class MethodPolicyCache(IOptions<ReliableRpcOptions> options, ILogger<MethodPolicyCache>? logger = null)
{
    private readonly ConcurrentDictionary<Type, MethodPolicy> _policies = new();
    private readonly ReliableRpcOptions _options = options.Value;

    /// <summary>The policy of <paramref name="request"/>'s method.</summary>
    public MethodPolicy Get(IInvokable request) =>
        _policies.TryGetValue(request.GetType(), out var policy) ? policy : _policies.GetOrAdd(request.GetType(), _ => Resolve(request));

    private MethodPolicy Resolve(IInvokable request)
    {
        var interfaceType = request.GetInterfaceType();
        var method = request.GetMethod();
        if (IsOrleansOwn(interfaceType) || method is null || method.GetCustomAttribute<OneWayAttribute>() is not null)
        {
            return MethodPolicy.PassThrough;
        }

        // Orleans' own per-method timeout means what it means in plain Orleans: how long the method may take. It is
        // the deadline unless [Deadline] says otherwise, each attempt's timeout, and a longer one raises the cap.
        var responseTimeout = method.GetCustomAttribute<ResponseTimeoutAttribute>()?.Timeout is { } given && given > TimeSpan.Zero ? given : (TimeSpan?)null;
        var maxDeadline = _options.Deadlines.MaxDeadline;
        TimeSpan? raisedMaxDeadline = null;
        if (responseTimeout > maxDeadline)
        {
            raisedMaxDeadline = maxDeadline = responseTimeout.Value;
            if (logger is not null)
            {
                MethodPolicyLog.MaxDeadlineRaised(logger, $"{interfaceType.Name}.{method.Name}", responseTimeout.Value, _options.Deadlines.MaxDeadline);
            }
        }

        var deadline = method.GetCustomAttribute<DeadlineAttribute>()?.Deadline ?? responseTimeout ?? _options.Deadlines.DefaultDeadline;
        if (deadline > maxDeadline)
        {
            deadline = maxDeadline;
        }

        // At-most-once wins over a contradicting mark (analyzer RRPC004 reports the contradiction): repeating a
        // method by mistake can lose money, not repeating one only fails a call.
        var atMostOnce = method.GetCustomAttribute<AtMostOnceAttribute>() is not null;
        var parameters = method.GetParameters();
        var tokenIndex = Array.FindIndex(parameters, p => p.ParameterType == typeof(CancellationToken));
        return new MethodPolicy(
            passThrough: false,
            interfaceType.Name,
            method.Name,
            !atMostOnce && method.GetCustomAttribute<IdempotentAttribute>() is not null,
            deadline,
            tokenIndex,
            hasResult: method.ReturnType.IsGenericType,
            retryProfile: method.GetCustomAttribute<RetryProfileAttribute>()?.Profile ?? RetryProfile.Interactive,
            sizedArguments: Enumerable.Range(0, parameters.Length).Where(i => PayloadSize.MayBeLarge(parameters[i].ParameterType)).ToArray(),
            resultMayBeLarge: method.ReturnType.IsGenericType && PayloadSize.MayBeLarge(method.ReturnType.GetGenericArguments()[0]),
            acceptsKey: !atMostOnce && method.GetCustomAttribute<AcceptsIdempotencyKeyAttribute>() is not null,
            attemptTimeout: responseTimeout,
            raisedMaxDeadline: raisedMaxDeadline);
    }

    /// <summary>Orleans' own traffic: system targets, grain extensions, the runtime's interfaces and observers.</summary>
    private static bool IsOrleansOwn(Type interfaceType) =>
        typeof(ISystemTarget).IsAssignableFrom(interfaceType)
        || typeof(IGrainExtension).IsAssignableFrom(interfaceType)
        || typeof(IGrainObserver).IsAssignableFrom(interfaceType)
        || interfaceType.Assembly.GetName().Name?.StartsWith("Orleans", StringComparison.Ordinal) == true;
}
