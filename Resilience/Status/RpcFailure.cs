namespace ReliableRpc;

/// <summary>
/// Reads the status of any failure without changing its type: an exception a grain threw reaches its caller as
/// thrown, a deadline as <see cref="RpcDeadlineExceededException"/>, a cancellation as
/// <see cref="OperationCanceledException"/>, the pipeline's refusals as <see cref="RpcException"/>.
/// <code>
/// catch (Exception failure) when (RpcStatus.Of(failure) == RpcStatus.FailedPrecondition) { ... }
/// catch (Exception failure) when (failure.IsNotExecuted()) { /* safe to send again */ }
/// </code>
/// </summary>
public static class RpcFailure
{
    extension(RpcStatus)
    {
        /// <summary>
        /// The status of <paramref name="exception"/>: its own for the library's types, else the one
        /// <see cref="RpcStatusMapper"/> gives its type (ArgumentException is InvalidArgument, an unknown type Unknown...).
        /// </summary>
        public static RpcStatus Of(Exception exception) => RpcStatusMapper.ToRpcException(exception).Status;
    }

    extension(Exception exception)
    {
        /// <summary>
        /// True only when it is certain that the failed call's method did not start, so that sending it again cannot
        /// apply it twice, whatever the method: refused before dispatch, circuit open, shed, expired before it ran.
        /// False for any failure that left a method that started (the receiver marks those: <see cref="ExecutionMark"/>).
        /// </summary>
        public bool IsNotExecuted() => RpcStatusMapper.ToRpcException(exception).NotExecuted;
    }
}
