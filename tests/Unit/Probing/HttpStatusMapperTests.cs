using System.Net;
using System.Net.Sockets;
using ReliableRpc.Grains.Probing;

namespace ReliableRpc.Tests.Unit.Probing;

public class HttpStatusMapperTests
{
    [Theory]
    [InlineData(200, RpcStatus.OK)]
    [InlineData(204, RpcStatus.OK)]
    [InlineData(302, RpcStatus.OK)]
    [InlineData(400, RpcStatus.InvalidArgument)]
    [InlineData(401, RpcStatus.Unauthenticated)]
    [InlineData(403, RpcStatus.PermissionDenied)]
    [InlineData(404, RpcStatus.NotFound)]
    [InlineData(408, RpcStatus.DeadlineExceeded)]
    [InlineData(409, RpcStatus.Aborted)]
    [InlineData(412, RpcStatus.FailedPrecondition)]
    [InlineData(418, RpcStatus.FailedPrecondition)]
    [InlineData(429, RpcStatus.ResourceExhausted)]
    [InlineData(500, RpcStatus.Internal)]
    [InlineData(501, RpcStatus.Unimplemented)]
    [InlineData(502, RpcStatus.Unavailable)]
    [InlineData(503, RpcStatus.Unavailable)]
    [InlineData(504, RpcStatus.DeadlineExceeded)]
    [InlineData(599, RpcStatus.Internal)]
    public void FromStatusCode_EachRow(int code, RpcStatus expected) =>
        Assert.Equal(expected, HttpStatusMapper.FromStatusCode((HttpStatusCode)code));

    public static TheoryData<Exception, RpcStatus> Failures => new()
    {
        { new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)), RpcStatus.Unavailable },
        { new HttpRequestException(HttpRequestError.ConnectionError, "reset"), RpcStatus.Unavailable },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "ended"), RpcStatus.Unavailable },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), RpcStatus.NotFound },
        { new HttpRequestException(HttpRequestError.SecureConnectionError, "bad certificate"), RpcStatus.Unauthenticated },
        { new TaskCanceledException("timed out"), RpcStatus.DeadlineExceeded },
        { new InvalidOperationException("odd"), RpcStatus.Unknown },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void FromException_EachRow(Exception exception, RpcStatus expected) =>
        Assert.Equal(expected, HttpStatusMapper.FromException(exception));

    [Theory]
    [InlineData("http://127.0.0.1:8080/x", 5, 100, null)]
    [InlineData("ftp://example/x", 5, 100, "not an absolute http")]
    [InlineData("not a url", 5, 100, "not an absolute http")]
    [InlineData("http://127.0.0.1/", 0, 100, "count")]
    [InlineData("http://127.0.0.1/", 5_000, 100, "count")]
    [InlineData("http://127.0.0.1/", 5, 0, "timeout")]
    public void ProbeRequest_Problem_NamesWhatIsWrong(string url, int count, int timeoutMs, string? expected)
    {
        var problem = new ProbeRequest(url, count, TimeSpan.FromMilliseconds(timeoutMs)).Problem();
        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(expected, problem);
        }
    }
}
