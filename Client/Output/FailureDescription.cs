namespace ReliableRpc.Client.Output;

/// <summary>Names failures the same way everywhere the client reports them: by status, the pipeline's shared language.</summary>
internal static class FailureDescription
{
    /// <summary>A short key for grouping failures: the status, and whether the call certainly did not run.</summary>
    public static string Kind(Exception exception)
    {
        var unwrapped = Unwrap(exception);
        return $"{RpcStatus.Of(unwrapped)}{(unwrapped.IsNotExecuted() ? " (not executed)" : string.Empty)}";
    }

    /// <summary>
    /// One line for a person, no stack trace: the status and the library's detail, or for an exception a grain threw,
    /// its status, type and message (as thrown: the pipeline no longer wraps it).
    /// </summary>
    public static string Line(Exception exception)
    {
        var unwrapped = Unwrap(exception);
        return unwrapped switch
        {
            RpcException rpc => $"{rpc.Status}: {rpc.Detail}",
            RpcDeadlineExceededException deadline => $"{deadline.Status}: {deadline.Detail}",

            // The client's own refusals (file missing, checksum mismatch) are already sentences.
            Blobs.BlobTransferException transfer => transfer.Message,
            _ => $"{RpcStatus.Of(unwrapped)}: {unwrapped.GetType().Name}: {unwrapped.Message}",
        };
    }

    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : exception;
}
