using ReliableRpc.Retries.Internal;

namespace ReliableRpc.Tests.Unit.Retries;

public class RetryClassifierTests
{
    private static readonly RpcStatus[] NeverRetried =
    [
        RpcStatus.InvalidArgument, RpcStatus.NotFound, RpcStatus.AlreadyExists, RpcStatus.PermissionDenied,
        RpcStatus.FailedPrecondition, RpcStatus.OutOfRange, RpcStatus.Unimplemented, RpcStatus.Unauthenticated,
        RpcStatus.Cancelled, RpcStatus.DataLoss,
    ];

    private static readonly RpcStatus[] RetriedWhenSafe =
    [
        RpcStatus.Unavailable, RpcStatus.DeadlineExceeded, RpcStatus.Unknown, RpcStatus.Internal, RpcStatus.Aborted,
        RpcStatus.ResourceExhausted,
    ];

    public static TheoryData<RpcStatus, bool, bool, string> EveryCase()
    {
        var data = new TheoryData<RpcStatus, bool, bool, string>();
        foreach (var status in Enum.GetValues<RpcStatus>().Where(s => s != RpcStatus.OK))
        {
            foreach (var idempotent in new[] { false, true })
            {
                foreach (var notExecuted in new[] { false, true })
                {
                    // ResourceExhausted without pushback is not retried (here it has none; see the pushback test).
                    var expected = NeverRetried.Contains(status) || status == RpcStatus.ResourceExhausted ? RetryDecision.Stop
                        : notExecuted ? RetryDecision.Transparent
                        : idempotent ? RetryDecision.Counted
                        : RetryDecision.Stop;
                    data.Add(status, idempotent, notExecuted, expected.ToString());
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCase))]
    public void Classify_EveryStatusSafetyAndExecution_GivesTheDesignedDecision(RpcStatus status, bool idempotent, bool notExecuted, string expected) =>
        Assert.Equal(expected, RetryClassifier.Classify(new RpcException(status, "x", notExecuted), idempotent).ToString());

    [Fact]
    public void EveryStatus_IsEitherNeverRetriedOrRetriedWhenSafe() =>
        Assert.Equal(Enum.GetValues<RpcStatus>().Where(s => s != RpcStatus.OK).Order(), NeverRetried.Concat(RetriedWhenSafe).Order());

    [Theory]
    [InlineData(false, true, "Transparent")]
    [InlineData(true, false, "Counted")]
    [InlineData(false, false, "Stop")]
    public void Classify_ResourceExhaustedWithPushback_IsRetriedLikeAnyUnknownOutcome(bool idempotent, bool notExecuted, string expected)
    {
        var shed = new RpcException(RpcStatus.ResourceExhausted, "busy", notExecuted, retryAfter: TimeSpan.FromMilliseconds(200));
        Assert.Equal(expected, RetryClassifier.Classify(shed, idempotent).ToString());
    }

    [Fact]
    public void Classify_Brake_IsNeverRetriedEvenWhenNotExecuted()
    {
        var circuitOpen = new RpcException(RpcStatus.Unavailable, "circuit open", notExecuted: true) { IsBrake = true };
        Assert.Equal(RetryDecision.Stop, RetryClassifier.Classify(circuitOpen, safeToRepeat: true));
    }
}
