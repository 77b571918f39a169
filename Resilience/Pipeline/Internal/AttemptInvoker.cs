using Orleans;
using ReliableRpc.Deadlines.Internal;
using ReliableRpc.Policies.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>Sends one attempt of a call under a deadline and returns its failure as a value.</summary>
internal static class AttemptInvoker
{
    /// <summary>
    /// Runs one attempt; null when it succeeded, else the failure mapped to an <see cref="RpcException"/>.
    /// A cancellable method gets a token that fires at the deadline: Orleans then completes the call at once,
    /// tells the target, and removes the request from the target's queue if it has not started. A method
    /// without a token can only be abandoned at the deadline; its response, if any, is dropped.
    /// </summary>
    public static async ValueTask<RpcException?> InvokeAsync(
        IOutgoingGrainCallContext context, MethodPolicy policy, CancellationToken callerToken, TimeSpan timeout, TimeProvider time)
    {
        Exception? failure = null;
        if (policy.IsCancellable)
        {
            using var deadline = new CancellationTokenSource(timeout, time);
            using var linked = callerToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(callerToken, deadline.Token) : null;
            context.Request.SetArgument(policy.CancellationTokenIndex, (linked ?? deadline).Token);
            try
            {
                await context.Invoke();
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            failure ??= context.Response?.Exception;
            if (failure is OperationCanceledException && deadline.IsCancellationRequested && !callerToken.IsCancellationRequested)
            {
                return CallDeadline.Exceeded(policy, timeout, notExecuted: false, "calling");
            }
        }
        else
        {
            var call = context.Invoke();
            try
            {
                await call.WaitAsync(timeout, time);
            }
            catch (TimeoutException) when (!call.IsCompleted)
            {
                return CallDeadline.Exceeded(policy, timeout, notExecuted: false, "calling");
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            failure ??= context.Response?.Exception;
        }

        return failure is null ? null : RpcStatusMapper.ToRpcException(failure);
    }
}
