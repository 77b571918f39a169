using Polly;
using ReliableRpc.Deadlines.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>An attempt on its way: await <see cref="Completion"/> (it never throws with SuppressThrowing), then <see cref="Complete"/> it once.</summary>
internal readonly struct SentAttempt
{
    private readonly AttemptTokenSource _tokens;
    private readonly Task _invocation;
    private readonly CancellationToken _gatewayLoss;
    private readonly TimeSpan _timeout;
    private readonly bool _ownRequest;

    internal SentAttempt(AttemptTokenSource tokens, Task invocation, Task completion, CancellationToken gatewayLoss, TimeSpan timeout, bool ownRequest)
    {
        _ownRequest = ownRequest;
        _tokens = tokens;
        _invocation = invocation;
        Completion = completion;
        _gatewayLoss = gatewayLoss;
        _timeout = timeout;
    }

    /// <summary>Completes when the attempt has an answer, or was given up at its token (a method without one is abandoned then).</summary>
    public Task Completion { get; }

    /// <summary>The attempt's outcome, once <see cref="Completion"/> has completed; releases its token.</summary>
    public Outcome<RpcException?> Complete(CallExecution call)
    {
        var policy = call.Policy;
        var token = _tokens.Token;
        Exception? failure;
        bool timedOut;
        try
        {
            // An attempt with a request of its own answers in its task; the caller's context holds only the first's.
            failure = Completion.IsCanceled && !_invocation.IsCompleted
                ? new OperationCanceledException(token) // abandoned: a method without a token is not awaited further
                : Completion.Exception?.InnerException ?? Cancelled(Completion) ?? (_ownRequest ? null : call.Context.Response?.Exception);
            timedOut = failure is OperationCanceledException && _tokens.TimedOut(call.CallerToken, _gatewayLoss);
        }
        finally
        {
            _tokens.Dispose();
        }

        if (failure is null)
        {
            if (_ownRequest)
            {
                // The caller reads the result where Orleans put the first attempt's.
                call.Context.Result = ((Task<object?>)_invocation).Result;
            }

            return Outcome.FromResult<RpcException?>(null);
        }

        if (timedOut)
        {
            call.MayHaveRun = true;
            call.LastAttemptTimedOut = true;
            return Outcome.FromResult<RpcException?>(CallDeadline.Exceeded(policy, _timeout, notExecuted: false, "calling"));
        }

        if (failure is OperationCanceledException && _gatewayLoss.IsCancellationRequested && !call.CallerToken.IsCancellationRequested)
        {
            call.MayHaveRun = true;
            call.LastAttemptTimedOut = true;
            call.LastAttemptLostGateway = true;
            return Outcome.FromResult<RpcException?>(new RpcException(
                RpcStatus.Unavailable, $"a gateway connection was lost while calling {policy}; the attempt's outcome is unknown") { ClientGenerated = true });
        }

        var mapped = RpcStatusMapper.ToRpcException(failure);
        call.MayHaveRun |= !mapped.NotExecuted;
        return Outcome.FromResult<RpcException?>(mapped);
    }

    /// <summary>The exception a cancelled task throws when awaited, without awaiting it.</summary>
    private static OperationCanceledException? Cancelled(Task task) => task.IsCanceled ? new TaskCanceledException(task) : null;
}
