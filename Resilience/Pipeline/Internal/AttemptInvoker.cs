using Orleans;
using Polly;
using ReliableRpc.Deadlines.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>Sends one attempt of a call under a token that fires at the attempt's deadline, and returns its failure as a value.</summary>
/// <remarks>
/// An attempt is split in two synchronous halves, <see cref="Send"/> and <see cref="SentAttempt.Complete"/>, so
/// that the caller's own async method can await the attempt in between: the first attempt of a call then costs no
/// state machine of its own. <see cref="InvokeAsync"/> joins the halves for the paths that need a callback.
/// </remarks>
internal static class AttemptInvoker
{
    /// <summary>Runs one attempt; the outcome holds null when it succeeded, else the failure mapped to an <see cref="RpcException"/>.</summary>
    public static async ValueTask<Outcome<RpcException?>> InvokeAsync(CallExecution call, TimeSpan attemptTimeout, TimeProvider time, IRetryRequests retries)
    {
        var attempt = Send(call, attemptTimeout, time, retries);
        await attempt.Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return attempt.Complete(call);
    }

    /// <summary>
    /// Sends one attempt under a token that fires after <paramref name="attemptTimeout"/>, when the caller gives up,
    /// or when the client loses a gateway (<see cref="AttemptTokenSource"/>). A cancellable method gets the token:
    /// Orleans then completes the call when it fires, tells the target, and removes the request from the target's
    /// queue if it has not started. A method without a token can only be abandoned; its response, if any, is dropped.
    /// The first attempt goes on through the caller's own call; every later one is a request of its own
    /// (<see cref="RetryRequests"/>), so it never shares one with an attempt that may still be running.
    /// </summary>
    public static SentAttempt Send(CallExecution call, TimeSpan attemptTimeout, TimeProvider time, IRetryRequests retries)
    {
        var context = call.Context;
        var policy = call.Policy;
        var gatewayLoss = call.GatewayLoss?.Token ?? default;
        var tokens = AttemptTokenSource.Start(time, attemptTimeout, call.CallerToken, gatewayLoss);
        var retry = call.Attempts > 1;
        Task invocation;
        Task completion;
        try
        {
            var request = retry ? retries.Create(call) : context.Request;
            if (policy.IsCancellable)
            {
                request.SetArgument(policy.CancellationTokenIndex, tokens.Token);
            }

            invocation = retry ? retries.Send(call, request) : context.Invoke();
            completion = policy.IsCancellable || invocation.IsCompleted ? invocation : invocation.WaitAsync(tokens.Token);
        }
        catch (Exception exception)
        {
            invocation = completion = Task.FromException(exception);
        }

        return new SentAttempt(tokens, invocation, completion, gatewayLoss, attemptTimeout, retry);
    }
}
