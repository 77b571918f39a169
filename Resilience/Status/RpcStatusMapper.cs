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
    /// <summary>
    /// Maps <paramref name="exception"/>; an <see cref="RpcException"/> is returned as it is, unless it is marked
    /// executed. The status of any exception, without changing its type, is <c>RpcStatus.Of(exception)</c>.
    /// </summary>
    public static RpcException ToRpcException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var mapped = Map(exception, exception);
        return mapped.NotExecuted && ExecutionMark.IsOn(exception) ? mapped.AsExecuted(mapped.Thrown) : mapped;
    }

    // thrown: the exception the caller was given, which an AggregateException's single inner one is read through.
    private static RpcException Map(Exception exception, Exception thrown) =>
        exception switch
        {
            RpcException rpc => ReferenceEquals(rpc, thrown) ? rpc : rpc.Describing(thrown),
            AggregateException { InnerExceptions.Count: 1 } aggregate => Map(aggregate.InnerExceptions[0], thrown),

            // Orleans wraps a storage provider's failure ("Error from storage provider ... during ReadStateAsync"): the
            // status is the provider's, such as the storage gate's refusal of an activation.
            OrleansException { InnerException: RpcException inner } when exception.GetType() == typeof(OrleansException) => Map(inner, thrown),
            RpcDeadlineExceededException deadline => new(RpcStatus.DeadlineExceeded, deadline.Detail, deadline.NotExecuted, innerException: deadline)
            {
                ClientGenerated = deadline.ClientGenerated, Thrown = thrown,
            },

            // One type for "never sent" and "lost in flight": only its message tells them apart.
            SiloUnavailableException => Client(RpcStatus.Unavailable, exception, thrown, notExecuted: SiloUnavailableOutcome.NeverSent(exception.Message)),

            // Rejections are sent instead of running the call: silo stopping, forwarding failed, queue limit, no connection.
            OrleansMessageRejectionException => Client(RpcStatus.Unavailable, exception, thrown, notExecuted: true),
            ConnectionFailedException => Client(RpcStatus.Unavailable, exception, thrown, notExecuted: true),
            ClientNotAvailableException => Client(RpcStatus.Unavailable, exception, thrown, notExecuted: true),
            GatewayTooBusyException or LimitExceededException => Pushback(exception, thrown),

            // Orleans' response timeout: the call may still be running.
            TimeoutException => Client(RpcStatus.DeadlineExceeded, exception, thrown, notExecuted: false),
            OperationCanceledException => Client(RpcStatus.Cancelled, exception, thrown, notExecuted: false),

            ArgumentException => Server(RpcStatus.InvalidArgument, exception, thrown),
            KeyNotFoundException => Server(RpcStatus.NotFound, exception, thrown),
            NotImplementedException or NotSupportedException => Server(RpcStatus.Unimplemented, exception, thrown),
            UnauthorizedAccessException => Server(RpcStatus.PermissionDenied, exception, thrown),
            InconsistentStateException => Server(RpcStatus.Aborted, exception, thrown),
            SerializerException => Server(RpcStatus.Internal, exception, thrown),
            _ => new RpcException(RpcStatus.Unknown, $"{exception.GetType().Name}: {exception.Message}", innerException: exception) { Thrown = thrown },
        };

    private static RpcException Client(RpcStatus status, Exception exception, Exception thrown, bool notExecuted) =>
        new(status, $"{exception.GetType().Name}: {exception.Message}", notExecuted, innerException: exception) { ClientGenerated = true, Thrown = thrown };

    /// <summary>The pushback assumed when Orleans refuses for load without saying for how long.</summary>
    internal static readonly TimeSpan DefaultPushback = TimeSpan.FromMilliseconds(100);

    private static RpcException Pushback(Exception exception, Exception thrown) =>
        new(RpcStatus.ResourceExhausted, $"{exception.GetType().Name}: {exception.Message}", notExecuted: true, DefaultPushback, exception) { ClientGenerated = true, Thrown = thrown };

    private static RpcException Server(RpcStatus status, Exception exception, Exception thrown) =>
        new(status, exception.Message, innerException: exception) { Thrown = thrown };
}
