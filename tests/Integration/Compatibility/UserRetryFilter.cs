using System.Collections.Concurrent;
using ReliableRpc.Tests.Integration.Compatibility.Grains;

namespace ReliableRpc.Tests.Integration.Compatibility;

/// <summary>
/// A user's outgoing filter in the style of Orleans' GrainCallFilterTests (RetryCertainCalls): it catches what
/// <c>await context.Invoke()</c> throws and, for <see cref="IFlakyGrain.FailsOnFirstCall"/> only, invokes once more.
/// It records what it caught, and any call that returned normally with a failure left in <c>context.Response</c>.
/// </summary>
public sealed class UserRetryFilter(UserFilterLog log) : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType != typeof(IFlakyGrain))
        {
            await context.Invoke();
            return;
        }

        var method = context.InterfaceMethod.Name;
        var attempts = 0;
        while (true)
        {
            attempts++;
            try
            {
                await context.Invoke();
                if (context.Response?.Exception is { } hidden)
                {
                    log.ReturnedWithFailure.Enqueue((method, hidden));
                }

                return;
            }
            catch (Exception exception)
            {
                log.Caught.Enqueue((method, exception));
                if (method != nameof(IFlakyGrain.FailsOnFirstCall) || attempts > 1)
                {
                    throw;
                }
            }
        }
    }
}

/// <summary>What <see cref="UserRetryFilter"/> saw, per client.</summary>
public sealed class UserFilterLog
{
    public ConcurrentQueue<(string Method, Exception Exception)> Caught { get; } = new();

    public ConcurrentQueue<(string Method, Exception Exception)> ReturnedWithFailure { get; } = new();
}
