using ReliableRpc.Client.Output;

namespace ReliableRpc.Tests.Unit.Client;

/// <summary>The CLI's one-line errors name the status first, whatever type the failure arrived as (issue 24).</summary>
public class FailureDescriptionTests
{
    [Fact]
    public void AGrainsOwnException_IsNamedByStatus_TypeAndMessage()
    {
        var thrown = new ArgumentOutOfRangeException("amount", -1, "an amount must be positive");

        Assert.StartsWith("InvalidArgument: ArgumentOutOfRangeException: an amount must be positive", FailureDescription.Line(thrown));
        Assert.Equal("InvalidArgument", FailureDescription.Kind(thrown));
    }

    [Fact]
    public void TheLibrarysFailures_AreNamedByStatusAndDetail()
    {
        var deadline = new RpcDeadlineExceededException("deadline of 500 ms exceeded calling IAccountGrain.Deposit", notExecuted: true);
        var refused = new RpcException(RpcStatus.FailedPrecondition, "insufficient funds: balance 5, debit 10");

        Assert.Equal("DeadlineExceeded: deadline of 500 ms exceeded calling IAccountGrain.Deposit", FailureDescription.Line(deadline));
        Assert.Equal("DeadlineExceeded (not executed)", FailureDescription.Kind(deadline));
        Assert.Equal("FailedPrecondition: insufficient funds: balance 5, debit 10", FailureDescription.Line(new AggregateException(refused)));
    }
}
