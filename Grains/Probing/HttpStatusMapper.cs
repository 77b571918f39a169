using System.Net;
using System.Net.Sockets;

namespace ReliableRpc.Grains.Probing;

/// <summary>The one table from HTTP outcomes to <see cref="RpcStatus"/>, as gRPC maps HTTP for its own errors.</summary>
public static class HttpStatusMapper
{
    /// <summary>The status of a response's HTTP code (OK for 2xx and 3xx).</summary>
    public static RpcStatus FromStatusCode(HttpStatusCode code) => (int)code switch
    {
        < 400 => RpcStatus.OK,
        400 => RpcStatus.InvalidArgument,
        401 => RpcStatus.Unauthenticated,
        403 => RpcStatus.PermissionDenied,
        404 => RpcStatus.NotFound,
        408 => RpcStatus.DeadlineExceeded,
        409 => RpcStatus.Aborted,
        412 => RpcStatus.FailedPrecondition,
        429 => RpcStatus.ResourceExhausted,
        < 500 => RpcStatus.FailedPrecondition,
        501 => RpcStatus.Unimplemented,
        502 or 503 => RpcStatus.Unavailable,
        504 => RpcStatus.DeadlineExceeded,
        _ => RpcStatus.Internal,
    };

    /// <summary>The status of a request that got no response.</summary>
    public static RpcStatus FromException(Exception exception) => exception switch
    {
        TaskCanceledException or OperationCanceledException or TimeoutException => RpcStatus.DeadlineExceeded,
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => RpcStatus.Unavailable,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => RpcStatus.NotFound,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded } => RpcStatus.Unavailable,
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => RpcStatus.Unauthenticated,
        _ => RpcStatus.Unknown,
    };
}
