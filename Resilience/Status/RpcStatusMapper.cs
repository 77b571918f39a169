using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Serialization;
using Orleans.Storage;

namespace ReliableRpc;

/// <summary>
/// The one table that turns Orleans and .NET exceptions into an <see cref="RpcException"/> with a status.
/// <see cref="RpcException.NotExecuted"/> is set only where the exception proves the target method did not start:
/// never for one a receiver marked as leaving a method that started (<see cref="ExecutionMark"/>).
/// </summary>
public static class RpcStatusMapper
{
    /// <summary>Maps <paramref name="exception"/>; an <see cref="RpcException"/> is returned as it is, unless it is marked executed.</summary>
    public static RpcException ToRpcException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var mapped = Map(exception);
        return mapped.NotExecuted && ExecutionMark.IsOn(exception) ? mapped.AsExecuted() : mapped;
    }

    private static RpcException Map(Exception exception) =>
        exception switch
        {
            RpcException rpc => rpc,
            AggregateException { InnerExceptions.Count: 1 } aggregate => Map(aggregate.InnerExceptions[0]),

            // One type for "never sent" and "lost in flight": only its message tells them apart.
            SiloUnavailableException => Client(RpcStatus.Unavailable, exception, notExecuted: SiloUnavailableOutcome.NeverSent(exception.Message)),

            // Rejections are sent instead of running the call: silo stopping, forwarding failed, queue limit, no connection.
            OrleansMessageRejectionException => Client(RpcStatus.Unavailable, exception, notExecuted: true),
            ConnectionFailedException => Client(RpcStatus.Unavailable, exception, notExecuted: true),
            ClientNotAvailableException => Client(RpcStatus.Unavailable, exception, notExecuted: true),
            GatewayTooBusyException or LimitExceededException => Pushback(exception),

            // Orleans' response timeout: the call may still be running.
            TimeoutException => Client(RpcStatus.DeadlineExceeded, exception, notExecuted: false),
            OperationCanceledException => Client(RpcStatus.Cancelled, exception, notExecuted: false),

            ArgumentException => Server(RpcStatus.InvalidArgument, exception),
            KeyNotFoundException => Server(RpcStatus.NotFound, exception),
            NotImplementedException or NotSupportedException => Server(RpcStatus.Unimplemented, exception),
            UnauthorizedAccessException => Server(RpcStatus.PermissionDenied, exception),
            InconsistentStateException => Server(RpcStatus.Aborted, exception),
            SerializerException => Server(RpcStatus.Internal, exception),
            _ => new RpcException(RpcStatus.Unknown, $"{exception.GetType().Name}: {exception.Message}", innerException: exception),
        };

    private static RpcException Client(RpcStatus status, Exception exception, bool notExecuted) =>
        new(status, $"{exception.GetType().Name}: {exception.Message}", notExecuted, innerException: exception) { ClientGenerated = true };

    /// <summary>The pushback assumed when Orleans refuses for load without saying for how long.</summary>
    internal static readonly TimeSpan DefaultPushback = TimeSpan.FromMilliseconds(100);

    private static RpcException Pushback(Exception exception) =>
        new(RpcStatus.ResourceExhausted, $"{exception.GetType().Name}: {exception.Message}", notExecuted: true, DefaultPushback, exception) { ClientGenerated = true };

    private static RpcException Server(RpcStatus status, Exception exception) =>
        new(status, exception.Message, innerException: exception);
}
