namespace ReliableRpc.Retries.Internal;

/// <summary>Decides from a failure's status alone whether a retry could help and whether it is safe.</summary>
internal static class RetryClassifier
{
    /// <summary>
    /// Classifies <paramref name="failure"/> of a method that is (or is not) <paramref name="safeToRepeat"/>:
    /// idempotent, or called with an idempotency key.
    /// </summary>
    public static RetryDecision Classify(RpcException failure, bool safeToRepeat)
    {
        if (failure.IsBrake || IsNeverRetried(failure.Status))
        {
            return RetryDecision.Stop;
        }

        // Overload is retried only when the server said when: without pushback, retrying only adds load
        // (and an oversize call would fail the same way again).
        if (failure.Status == RpcStatus.ResourceExhausted && failure.RetryAfter is null)
        {
            return RetryDecision.Stop;
        }

        if (failure.NotExecuted)
        {
            // Like gRPC's transparent retries: the call never reached the method, whatever the method is.
            return RetryDecision.Transparent;
        }

        return failure.Status switch
        {
            RpcStatus.Unavailable or RpcStatus.DeadlineExceeded or RpcStatus.Unknown or RpcStatus.Internal
                or RpcStatus.Aborted or RpcStatus.ResourceExhausted when safeToRepeat => RetryDecision.Counted,
            _ => RetryDecision.Stop,
        };
    }

    /// <summary>Statuses that say the same call will fail the same way.</summary>
    public static bool IsNeverRetried(RpcStatus status) => status is RpcStatus.InvalidArgument or RpcStatus.NotFound
        or RpcStatus.AlreadyExists or RpcStatus.PermissionDenied or RpcStatus.FailedPrecondition or RpcStatus.OutOfRange
        or RpcStatus.Unimplemented or RpcStatus.Unauthenticated or RpcStatus.Cancelled or RpcStatus.DataLoss;
}
