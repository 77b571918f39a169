using Orleans.Runtime;
using ReliableRpc.Pipeline.Internal;

namespace ReliableRpc.Tests.Unit.Status;

/// <summary>
/// Issue 24: what a caller gets for a failed call, as in plain Orleans: a grain's exception as thrown, a deadline as a
/// TimeoutException, a cancellation as OperationCanceledException; RpcException only for the pipeline's own refusals
/// and the caller's own transport failures. The status of each is readable without changing its type.
/// </summary>
public class CallerFailureTests
{
    private static Exception Delivered(Exception attempt) => CallerFailure.ToThrow(RpcStatusMapper.ToRpcException(attempt));

    [Fact]
    public void AGrainsException_ReachesTheCallerAsThrown_WithItsStatusReadable()
    {
        var thrown = ExecutionMark.Set(new InvalidOperationException("application bug", new FormatException("inner")));

        var delivered = Delivered(thrown);

        Assert.Same(thrown, delivered);
        Assert.Equal(RpcStatus.Unknown, RpcStatus.Of(delivered));
        Assert.False(delivered.IsNotExecuted());
    }

    [Fact]
    public void AnArgumentExceptionFromAGrain_IsStillOne_AndInvalidArgument()
    {
        var thrown = ExecutionMark.Set(new ArgumentOutOfRangeException("amount", -1, "must be positive"));

        var delivered = Delivered(thrown);

        Assert.Same(thrown, delivered);
        Assert.Equal(RpcStatus.InvalidArgument, RpcStatus.Of(delivered));
    }

    [Fact]
    public void AnAggregateWithOneInnerException_StaysAnAggregate()
    {
        // Before: unwrapped to the inner one's status and the aggregate lost.
        var aggregate = ExecutionMark.Set(new AggregateException(new ArgumentException("inner")));
        var ofRpc = ExecutionMark.Set(new AggregateException(new RpcException(RpcStatus.FailedPrecondition, "frozen")));

        Assert.Same(aggregate, Delivered(aggregate));
        Assert.Same(ofRpc, Delivered(ofRpc));
        Assert.Equal(RpcStatus.InvalidArgument, RpcStatus.Of(aggregate));
        Assert.Equal(RpcStatus.FailedPrecondition, RpcStatus.Of(ofRpc));
    }

    [Fact]
    public void TheCallersOwnTransportFailure_IsAnRpcException_WithTheOrleansExceptionInside()
    {
        var refused = new SiloUnavailableException("Silo 'S127.0.0.1:11111:1' is shutting down.");

        var delivered = Assert.IsType<RpcException>(Delivered(refused));

        Assert.Same(refused, delivered.InnerException);
        Assert.Equal(RpcStatus.Unavailable, delivered.Status);
        Assert.True(delivered.IsNotExecuted());
    }

    [Fact]
    public void AnOrleansExceptionThrownByAMethodThatRan_IsTheGrainsFailure_AsThrown()
    {
        // A grain that called an observer whose client left, and let the exception go: its caller gets that exception.
        var thrown = ExecutionMark.Set(RpcStatusMapperTests.Internal<ClientNotAvailableException>("client gone"));

        var delivered = Delivered(thrown);

        Assert.Same(thrown, delivered);
        Assert.Equal(RpcStatus.Unavailable, RpcStatus.Of(delivered));
        Assert.False(delivered.IsNotExecuted());
    }

    [Fact]
    public void ADeadline_IsATimeoutException_WithStatusAndDetail()
    {
        var pipelines = CallerFailure.ToThrow(new RpcException(RpcStatus.DeadlineExceeded, "deadline of 500 ms exceeded calling IX.M", notExecuted: true) { ClientGenerated = true });
        var orleans = Delivered(new TimeoutException("Response did not arrive on time"));

        var deadline = Assert.IsType<RpcDeadlineExceededException>(pipelines);
        Assert.IsAssignableFrom<TimeoutException>(deadline);
        Assert.Equal(("deadline of 500 ms exceeded calling IX.M", true, true), (deadline.Detail, deadline.NotExecuted, deadline.ClientGenerated));
        Assert.Equal(RpcStatus.DeadlineExceeded, RpcStatus.Of(deadline));
        Assert.True(deadline.IsNotExecuted());
        Assert.IsType<TimeoutException>(Assert.IsType<RpcDeadlineExceededException>(orleans).InnerException);
    }

    [Fact]
    public void AReceiversDeadline_ArrivesAsSent_AndAMarkClearsItsNotExecuted()
    {
        var refused = new RpcDeadlineExceededException("deadline of 5 ms exceeded before running IX.M", notExecuted: true);
        var fromAMethodThatRan = ExecutionMark.Set(new RpcDeadlineExceededException("deadline of 5 ms exceeded before running IY.N", notExecuted: true));

        Assert.Same(refused, Delivered(refused));
        Assert.True(refused.IsNotExecuted());
        Assert.False(fromAMethodThatRan.IsNotExecuted());
        Assert.False(RpcStatusMapper.ToRpcException(fromAMethodThatRan).NotExecuted);
    }

    [Fact]
    public void ACancellation_IsTheOperationCanceledExceptionTheCallEndedWith()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var ended = new TaskCanceledException("cancelled", null, cancelled.Token);

        var delivered = Delivered(ended);

        Assert.Same(ended, delivered);
        Assert.Equal(RpcStatus.Cancelled, RpcStatus.Of(delivered));
    }

    [Fact]
    public void ACancellation_NamesTheCallersOwnToken()
    {
        // Review of issue 24: Orleans ends a cancelled call with the request's token, which the pipeline had replaced
        // with its attempt's; `catch (OperationCanceledException e) when (e.CancellationToken == token)` then missed.
        using var caller = new CancellationTokenSource();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(caller.Token);
        caller.Cancel();
        var ended = new OperationCanceledException("cancelled", attempt.Token);

        var delivered = Assert.IsAssignableFrom<OperationCanceledException>(CallerFailure.ToThrow(RpcStatusMapper.ToRpcException(ended), caller.Token));

        Assert.Equal(caller.Token, delivered.CancellationToken);
        Assert.Same(ended, delivered.InnerException);
    }

    [Fact]
    public void AMethodsOwnDeadlineFailure_RethrownByItsCaller_ReachesTheEdgeAsThrown()
    {
        // Review of issue 24: the receiver's copy with NotExecuted cleared carried no mark and kept ClientGenerated,
        // so the edge took it for its own transport failure and wrapped it again.
        var hop = new RpcDeadlineExceededException("deadline of 300 ms exceeded before calling IX.M", notExecuted: true) { ClientGenerated = true };
        var leftTheMethod = hop.AsExecuted();
        ExecutionMark.Set(leftTheMethod);

        Assert.Same(leftTheMethod, Delivered(leftTheMethod));
    }

    [Fact]
    public void ThePipelinesOwnRefusals_AreRpcExceptions()
    {
        var open = new RpcException(RpcStatus.Unavailable, "circuit open for IX: the call was not sent", notExecuted: true) { ClientGenerated = true, IsBrake = true };

        Assert.Same(open, CallerFailure.ToThrow(open));
    }

    [Fact]
    public void ALogicalCallWhoseEarlierAttemptMayHaveRun_IsNotNotExecuted_WhateverItsLastAttemptSays()
    {
        // The pipeline clears the flag on its view (CallExecution.MayHaveRun); the caller's exception must agree.
        var lastAttempt = RpcStatusMapper.ToRpcException(new RpcDeadlineExceededException("deadline exceeded before running IX.M", notExecuted: true));

        var delivered = CallerFailure.ToThrow(lastAttempt.AsExecuted());

        Assert.False(Assert.IsType<RpcDeadlineExceededException>(delivered).NotExecuted);
    }
}
