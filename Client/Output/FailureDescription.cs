namespace ReliableRpc.Client.Output;

/// <summary>Names failures the same way everywhere the client reports them.</summary>
internal static class FailureDescription
{
    /// <summary>A short key for grouping failures: the status for an <see cref="RpcException"/>, else the exception type.</summary>
    public static string Kind(Exception exception) => Unwrap(exception) switch
    {
        RpcException rpc => $"{rpc.Status}{(rpc.NotExecuted ? " (not executed)" : string.Empty)}",
        var other => other.GetType().Name,
    };

    /// <summary>One line for a person: kind and message, no stack trace.</summary>
    public static string Line(Exception exception)
    {
        var unwrapped = Unwrap(exception);
        return unwrapped switch
        {
            RpcException rpc => $"{rpc.Status}: {rpc.Detail}",

            // The client's own refusals (file missing, checksum mismatch) are already sentences.
            Blobs.BlobTransferException transfer => transfer.Message,
            _ => $"{unwrapped.GetType().Name}: {unwrapped.Message}",
        };
    }

    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : exception;
}
