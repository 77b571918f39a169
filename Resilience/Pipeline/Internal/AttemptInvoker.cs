using Orleans;
using Polly;
using ReliableRpc.Deadlines.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>Sends one attempt of a call under a token that fires at the attempt's deadline, and returns its failure as a value.</summary>
internal static class AttemptInvoker
{
    /// <summary>
    /// Runs one attempt under a token that fires after <paramref name="attemptTimeout"/>, when the caller gives up,
    /// or when the client loses a gateway (<see cref="AttemptTokenSource"/>); its outcome holds null when it
    /// succeeded, else the failure mapped to an <see cref="RpcException"/>. Returned as Polly's outcome directly, so
    /// the attempt costs one state machine. A cancellable method gets the token: Orleans then completes the call
    /// when it fires, tells the target, and removes the request from the target's queue if it has not started. A
    /// method without a token can only be abandoned; its response, if any, is dropped.
    /// </summary>
    public static async ValueTask<Outcome<RpcException?>> InvokeAsync(CallExecution call, TimeSpan attemptTimeout, TimeProvider time)
    {
        var context = call.Context;
        var policy = call.Policy;
        var gatewayLoss = call.GatewayLoss?.Token ?? default;
        var attempt = AttemptTokenSource.Start(time, attemptTimeout, call.CallerToken, gatewayLoss);
        var token = attempt.Token;
        Exception? failure = null;
        bool timedOut;
        try
        {
            if (policy.IsCancellable)
            {
                context.Request.SetArgument(policy.CancellationTokenIndex, token);
                try
                {
                    await context.Invoke();
                }
                catch (Exception exception)
                {
                    failure = exception;
                }
            }
            else
            {
                var invocation = context.Invoke();
                try
                {
                    await invocation.WaitAsync(token);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested && !invocation.IsCompleted)
                {
                    failure = new OperationCanceledException(token);
                }
                catch (Exception exception)
                {
                    failure = exception;
                }
            }

            failure ??= context.Response?.Exception;
            timedOut = failure is OperationCanceledException && attempt.TimedOut(call.CallerToken, gatewayLoss);
        }
        finally
        {
            attempt.Dispose();
        }

        if (failure is null)
        {
            return Outcome.FromResult<RpcException?>(null);
        }

        if (timedOut)
        {
            call.LastAttemptTimedOut = true;
            return Outcome.FromResult<RpcException?>(CallDeadline.Exceeded(policy, attemptTimeout, notExecuted: false, "calling", atCaller: true));
        }

        if (failure is OperationCanceledException && gatewayLoss.IsCancellationRequested && !call.CallerToken.IsCancellationRequested)
        {
            call.LastAttemptTimedOut = true;
            call.LastAttemptLostGateway = true;
            return Outcome.FromResult<RpcException?>(new RpcException(
                RpcStatus.Unavailable, $"a gateway connection was lost while calling {policy}; the attempt's outcome is unknown") { ClientGenerated = true });
        }

        return Outcome.FromResult<RpcException?>(RpcStatusMapper.ToRpcException(failure));
    }
}
