using Orleans;
using Polly;
using ReliableRpc.Deadlines.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>Sends one attempt of a call under a token that fires at the attempt's deadline, and returns its failure as a value.</summary>
internal static class AttemptInvoker
{
    /// <summary>
    /// Runs one attempt; its outcome holds null when it succeeded, else the failure mapped to an
    /// <see cref="RpcException"/>. Returned as Polly's outcome directly, so the attempt costs one state machine.
    /// A cancellable method gets <paramref name="attemptToken"/> (joined with the caller's): Orleans then completes
    /// the call when it fires, tells the target, and removes the request from the target's queue if it has not
    /// started. A method without a token can only be abandoned; its response, if any, is dropped.
    /// </summary>
    public static async ValueTask<Outcome<RpcException?>> InvokeAsync(CallExecution call, TimeSpan attemptTimeout, CancellationToken attemptToken)
    {
        var context = call.Context;
        var policy = call.Policy;
        var gatewayLoss = call.GatewayLoss?.Token ?? default;
        Exception? failure = null;
        if (policy.IsCancellable)
        {
            using var linked = Link(attemptToken, call.CallerToken, gatewayLoss);
            context.Request.SetArgument(policy.CancellationTokenIndex, linked?.Token ?? attemptToken);
            try
            {
                await context.Invoke();
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            failure ??= context.Response?.Exception;
        }
        else
        {
            using var linked = gatewayLoss.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(attemptToken, gatewayLoss) : null;
            var abandon = linked?.Token ?? attemptToken;
            var invocation = context.Invoke();
            try
            {
                await invocation.WaitAsync(abandon);
            }
            catch (OperationCanceledException) when (abandon.IsCancellationRequested && !invocation.IsCompleted)
            {
                failure = new OperationCanceledException(abandon);
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            failure ??= context.Response?.Exception;
        }

        if (failure is null)
        {
            return Outcome.FromResult<RpcException?>(null);
        }

        if (failure is OperationCanceledException && !call.CallerToken.IsCancellationRequested)
        {
            if (attemptToken.IsCancellationRequested)
            {
                call.LastAttemptTimedOut = true;
                return Outcome.FromResult<RpcException?>(CallDeadline.Exceeded(policy, attemptTimeout, notExecuted: false, "calling", atCaller: true));
            }

            if (gatewayLoss.IsCancellationRequested)
            {
                call.LastAttemptTimedOut = true;
                call.LastAttemptLostGateway = true;
                return Outcome.FromResult<RpcException?>(new RpcException(
                    RpcStatus.Unavailable, $"a gateway connection was lost while calling {policy}; the attempt's outcome is unknown") { ClientGenerated = true });
            }
        }

        return Outcome.FromResult<RpcException?>(RpcStatusMapper.ToRpcException(failure));
    }

    /// <summary>The attempt's token joined with the caller's and the gateway-loss signal's, when either can fire.</summary>
    private static CancellationTokenSource? Link(CancellationToken attempt, CancellationToken caller, CancellationToken gatewayLoss) =>
        (caller.CanBeCanceled, gatewayLoss.CanBeCanceled) switch
        {
            (false, false) => null,
            (true, false) => CancellationTokenSource.CreateLinkedTokenSource(caller, attempt),
            (false, true) => CancellationTokenSource.CreateLinkedTokenSource(attempt, gatewayLoss),
            (true, true) => CancellationTokenSource.CreateLinkedTokenSource(caller, attempt, gatewayLoss),
        };
}
