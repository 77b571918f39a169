using System.Runtime.ExceptionServices;
using Orleans;
using Orleans.Serialization.Invocation;
using ReliableRpc.Policies.Internal;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>
/// Turns the pipeline's view of a failed call (an <see cref="RpcException"/> with a status, which it classifies and
/// retries on) into what the caller gets, as plain Orleans would have given it: an exception a grain threw arrives
/// as thrown (an <see cref="AggregateException"/> included), a cancellation as the <see cref="OperationCanceledException"/>
/// the call ended with, a deadline as <see cref="RpcDeadlineExceededException"/> (a <see cref="TimeoutException"/>).
/// Only the pipeline's own refusals and the caller's own transport failures (no connection, silo unavailable, gateway
/// too busy: the Orleans exception is the inner one) are <see cref="RpcException"/>s.
/// </summary>
internal static class CallerFailure
{
    /// <summary>
    /// The exception the caller of a call that ended in <paramref name="failure"/> gets; <paramref name="callerToken"/>
    /// is the token the caller passed, which its cancellation names, as in plain Orleans.
    /// </summary>
    public static Exception ToThrow(RpcException failure, CancellationToken callerToken = default)
    {
        // A transport failure the caller's own runtime raised is replaced; the same Orleans type thrown by a method
        // that ran (it called an observer whose client left) carries the execution mark and is a grain's failure.
        if (failure.Thrown is { } thrown && (!IsTransport(failure) || ExecutionMark.IsOn(thrown)))
        {
            return thrown switch
            {
                // The pipeline knows the call may have run: the flag the caller reads must say so too.
                RpcDeadlineExceededException { NotExecuted: true } deadline when !failure.NotExecuted => deadline.AsExecuted(),

                // Orleans ends a cancelled call with the request's token, which the pipeline replaced with the attempt's.
                OperationCanceledException cancelled when callerToken.IsCancellationRequested && cancelled.CancellationToken != callerToken =>
                    new OperationCanceledException(cancelled.Message, cancelled, callerToken),
                _ => thrown,
            };
        }

        return failure.Status == RpcStatus.DeadlineExceeded ? RpcDeadlineExceededException.From(failure) : failure;
    }

    /// <summary>
    /// Hands the failure to the caller: as the call's response where Orleans reads one, so the pipeline itself never
    /// throws (it is the outermost filter: no user filter sees that path); thrown for a method returning a bare
    /// Task, whose response Orleans does not read.
    /// </summary>
    public static Task Deliver(IOutgoingGrainCallContext context, MethodPolicy policy, RpcException failure) =>
        ToResponse(context, policy, failure, policy.IsCancellable ? context.Request.GetCancellationToken() : default) is { } exception
            ? Task.FromException(exception)
            : Task.CompletedTask;

    /// <summary>Like <see cref="Deliver"/>, from inside an async method: throws for a bare Task, keeping a grain's stack trace.</summary>
    public static void DeliverOrThrow(IOutgoingGrainCallContext context, MethodPolicy policy, RpcException failure, CancellationToken callerToken)
    {
        if (ToResponse(context, policy, failure, callerToken) is { } exception)
        {
            ExceptionDispatchInfo.Throw(exception);
        }
    }

    /// <summary>Sets the caller's exception as the response where Orleans reads one; else returns it, to be thrown.</summary>
    private static Exception? ToResponse(IOutgoingGrainCallContext context, MethodPolicy policy, RpcException failure, CancellationToken callerToken)
    {
        var exception = ToThrow(failure, callerToken);
        if (!policy.HasResult)
        {
            return exception;
        }

        context.Response = Response.FromException(exception);
        return null;
    }

    // What the mapper read from Orleans' own messaging exceptions: everything it marks client generated except a
    // cancellation, which is the caller's own (or its grain method's token) and stays an OperationCanceledException.
    private static bool IsTransport(RpcException failure) => failure.ClientGenerated && failure.Status != RpcStatus.Cancelled;
}
