using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.CodeGeneration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Invocation;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>
/// Sends every attempt after a call's first as a request object of its own, through a call of its own: no attempt
/// shares a request with another that may still be running.
/// </summary>
/// <remarks>
/// A call between grains on one silo hands the callee the caller's request object: the callee's runtime puts its own
/// token in it, its deadline timer cancels it, and Orleans resets its arguments when the callee finishes. A retry
/// sent on that object while an abandoned attempt still ran (or queued behind it) ran with blank arguments or was
/// cancelled by the other's timer. And Orleans' invoker refuses a second <c>Invoke()</c> while the first still waits
/// for its reply, as a method without a token does after it is abandoned. Orleans offers no way to send a copy of a
/// request through the same call context, so a retry is a new call to the same grain reference; the pipeline's own
/// filter lets it through untouched (<see cref="IsRetryAttempt"/>).
/// </remarks>
internal sealed class RetryRequests(IServiceProvider services) : IRetryRequests
{
    private static readonly ConditionalWeakTable<IInvokable, object> InFlight = new();
    private static readonly object Marker = new();
    private static int s_inFlight;

    private readonly ConcurrentDictionary<Type, ObjectFactory> _factories = new();
    private IGrainReferenceRuntime? _runtime;
    private DeepCopier? _copier;

    /// <summary>True for the request of a retry attempt this pipeline is sending: its filter must not wrap it again.</summary>
    public static bool IsRetryAttempt(IInvokable request) => Volatile.Read(ref s_inFlight) > 0 && InFlight.TryGetValue(request, out _);

    /// <inheritdoc />
    /// <remarks>
    /// A new request for the call's method, with copies of the caller's arguments (the callee of an earlier attempt on
    /// this silo owns the objects it was handed, as in plain Orleans, where each call gets copies). The token is left
    /// for the attempt to set.
    /// </remarks>
    public IInvokable Create(CallExecution call)
    {
        var original = call.Context.Request;
        var factory = _factories.GetOrAdd(original.GetType(), static type => ActivatorUtilities.CreateFactory(type, Type.EmptyTypes));
        var request = (IInvokable)factory(services, null);
        if (call.Arguments is { } arguments)
        {
            // Resolved on first use, like the runtime below: nothing is paid until a call is retried.
            var copier = _copier ??= services.GetRequiredService<DeepCopier>();
            for (var i = 0; i < arguments.Length; i++)
            {
                if (i != call.Policy.CancellationTokenIndex)
                {
                    request.SetArgument(i, copier.Copy(arguments[i])!);
                }
            }
        }

        return request;
    }

    /// <inheritdoc />
    public Task<object?> Send(CallExecution call, IInvokable request)
    {
        // Resolved here, not injected: the runtime is built from the outgoing filters, this pipeline's among them.
        var runtime = _runtime ??= services.GetRequiredService<IGrainReferenceRuntime>();
        var target = (GrainReference)call.Context.Grain;
        var options = request is IRequest described ? described.Options : InvokeMethodOptions.None;
        InFlight.AddOrUpdate(request, Marker);
        Interlocked.Increment(ref s_inFlight);
        return SendAsync(runtime, target, request, options);
    }

    private static async Task<object?> SendAsync(IGrainReferenceRuntime runtime, GrainReference target, IInvokable request, InvokeMethodOptions options)
    {
        try
        {
            return await runtime.InvokeMethodAsync<object>(target, request, options);
        }
        finally
        {
            InFlight.Remove(request);
            Interlocked.Decrement(ref s_inFlight);
        }
    }
}
