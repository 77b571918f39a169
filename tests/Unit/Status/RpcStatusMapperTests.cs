using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Serialization;
using Orleans.Storage;

namespace ReliableRpc.Tests.Unit.Status;

public class RpcStatusMapperTests
{
    public static TheoryData<Exception, RpcStatus, bool> Rows => new()
    {
        // Orleans: the same type for "never sent" and "lost in flight", so the outcome is unknown.

        // Rejections are sent instead of running the call.
        { Internal<OrleansMessageRejectionException>("Silo stopping"), RpcStatus.Unavailable, true },
        { Internal<OrleansMessageRejectionException>("Forwarding failed"), RpcStatus.Unavailable, true },
        { Internal<OrleansMessageRejectionException>("wrapped", new ConnectionFailedException("Unable to connect to endpoint")), RpcStatus.Unavailable, true },
        { new ConnectionFailedException("Unable to connect to endpoint"), RpcStatus.Unavailable, true },
        { Internal<ClientNotAvailableException>("client gone"), RpcStatus.Unavailable, true },
        { new GatewayTooBusyException(), RpcStatus.ResourceExhausted, true },
        { new LimitExceededException("MaxEnqueuedRequestsHardLimit", 5001, 5000, "activation"), RpcStatus.ResourceExhausted, true },
        // SiloUnavailableException messages that prove the request was never sent (Orleans 10.4.2 texts).
        { new SiloUnavailableException("Silo 'S127.0.0.1:11111:1' is shutting down."), RpcStatus.Unavailable, true },
        { new SiloUnavailableException("Could not find any gateway in 'RedisGatewayListProvider'."), RpcStatus.Unavailable, true },
        { new SiloUnavailableException("Unable to select a candidate because there are no compatible silos."), RpcStatus.Unavailable, true },
        // …and those that leave the outcome unknown.
        { new SiloUnavailableException("The target silo became unavailable for message: Request [...]"), RpcStatus.Unavailable, false },
        { new SiloUnavailableException("The local Orleans host is shutting down and can no longer process the request: [...]"), RpcStatus.Unavailable, false },
        // Issue 23, finding 10: the bare text is also what a terminated connection fails its in-flight batch with.
        { new SiloUnavailableException(), RpcStatus.Unavailable, false },
        // A grain key inside a message never makes it look like a never-sent one (a key with a quote leaves the outcome unknown: the safe side).
        { new SiloUnavailableException("The target silo became unavailable for message: Request [grain/key' is shutting down.]"), RpcStatus.Unavailable, false },
        { new SiloUnavailableException("The target silo became unavailable for message: Request [Silo 'x' is shutting down.]"), RpcStatus.Unavailable, false },
        { new SiloUnavailableException("Cannot place grain 'a' is shutting down.' because there are no compatible silos."), RpcStatus.Unavailable, false },
        // Orleans' response timeout: the call may still be running.
        { new TimeoutException("Response did not arrive on time"), RpcStatus.DeadlineExceeded, false },
        { new OperationCanceledException(), RpcStatus.Cancelled, false },
        { new TaskCanceledException(), RpcStatus.Cancelled, false },
        { new ArgumentException("bad"), RpcStatus.InvalidArgument, false },
        { new ArgumentNullException("x"), RpcStatus.InvalidArgument, false },
        { new ArgumentOutOfRangeException("x"), RpcStatus.InvalidArgument, false },
        { new KeyNotFoundException(), RpcStatus.NotFound, false },
        { new NotImplementedException(), RpcStatus.Unimplemented, false },
        { new NotSupportedException(), RpcStatus.Unimplemented, false },
        { new UnauthorizedAccessException(), RpcStatus.PermissionDenied, false },
        { new InconsistentStateException("etag mismatch"), RpcStatus.Aborted, false },
        { new CodecNotFoundException("no codec"), RpcStatus.Internal, false },
        { new InvalidOperationException("application bug"), RpcStatus.Unknown, false },
        { new AggregateException(new ArgumentException("inner")), RpcStatus.InvalidArgument, false },
    };

    /// <summary>Orleans keeps some exception constructors internal; the runtime builds them, so must the test.</summary>
    internal static T Internal<T>(params object[] args) where T : Exception =>
        (T)Activator.CreateInstance(typeof(T), System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public, null, args, null)!;

    [Theory]
    [MemberData(nameof(Rows))]
    public void ToRpcException_EachRow_GivesStatusAndNotExecuted(Exception exception, RpcStatus status, bool notExecuted)
    {
        var mapped = RpcStatusMapper.ToRpcException(exception);

        Assert.Equal(status, mapped.Status);
        Assert.Equal(notExecuted, mapped.NotExecuted);
        Assert.False(string.IsNullOrWhiteSpace(mapped.Detail));
    }

    [Fact]
    public void ToRpcException_ConnectionFailure_IsMarkedClientGenerated()
    {
        Assert.True(RpcStatusMapper.ToRpcException(new ConnectionFailedException("refused")).ClientGenerated);
        Assert.False(RpcStatusMapper.ToRpcException(new ArgumentException("bad")).ClientGenerated);
    }

    [Fact]
    public void ToRpcException_OrleansLoadRefusals_CarryPushback()
    {
        Assert.NotNull(RpcStatusMapper.ToRpcException(new GatewayTooBusyException()).RetryAfter);
        Assert.NotNull(RpcStatusMapper.ToRpcException(new LimitExceededException("limit", 2, 1, "a")).RetryAfter);
    }

    [Fact]
    public void ToRpcException_RpcException_ReturnsItUnchanged()
    {
        var original = new RpcException(RpcStatus.ResourceExhausted, "busy", notExecuted: true, TimeSpan.FromSeconds(1));
        Assert.Same(original, RpcStatusMapper.ToRpcException(original));
    }

    [Fact]
    public void StorageProviderFailure_WrappedByOrleans_IsReadThroughToTheProvidersStatus_UnlessMarkedExecuted()
    {
        // As Orleans' state bridge wraps a provider's exception: "Error from storage provider ... during ReadStateAsync".
        var refusal = new RpcException(RpcStatus.Unavailable, "storage gate open", notExecuted: true, retryAfter: TimeSpan.FromSeconds(1));
        var wrapped = new Orleans.Runtime.OrleansException("Error from storage provider GatedGrainStorage.account during ReadStateAsync", refusal);
        var mapped = RpcStatusMapper.ToRpcException(wrapped);
        Assert.Equal((RpcStatus.Unavailable, true, TimeSpan.FromSeconds(1)), (mapped.Status, mapped.NotExecuted, mapped.RetryAfter));

        ExecutionMark.Set(wrapped);
        Assert.False(RpcStatusMapper.ToRpcException(wrapped).NotExecuted);
        Assert.Equal(RpcStatus.Unknown, RpcStatusMapper.ToRpcException(new Orleans.Runtime.OrleansException("other", new InvalidOperationException())).Status);
    }

    [Fact]
    public void AsExecuted_NotExecutedFailure_KeepsEverythingButTheFlag()
    {
        var original = new RpcException(RpcStatus.Unavailable, "silo stopping", notExecuted: true, TimeSpan.FromMilliseconds(250)) { ClientGenerated = true };
        var executed = original.AsExecuted();

        Assert.False(executed.NotExecuted);
        Assert.Equal((original.Status, original.Detail, original.RetryAfter, original.ClientGenerated),
            (executed.Status, executed.Detail, executed.RetryAfter, executed.ClientGenerated));
    }

    [Fact]
    public void Constructor_OkStatus_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RpcException(RpcStatus.OK, "fine"));

    public static TheoryData<Exception> MarkedExecuted => new()
    {
        Internal<ClientNotAvailableException>("client gone"),
        new SiloUnavailableException("Silo 'S127.0.0.1:11111:1' is shutting down."),
        Internal<OrleansMessageRejectionException>("Silo stopping"),
        new ConnectionFailedException("Unable to connect to endpoint"),
        new GatewayTooBusyException(),
        new RpcException(RpcStatus.Unavailable, "refused", notExecuted: true),
    };

    [Theory]
    [MemberData(nameof(MarkedExecuted))]
    public void NeverSentException_MarkedByTheMethodItLeft_IsNotExecutedFalse(Exception exception)
    {
        // Issue 23, finding 2: the mark can only clear the flag.
        Assert.True(RpcStatusMapper.ToRpcException(exception).NotExecuted);
        ExecutionMark.Set(exception);

        Assert.False(RpcStatusMapper.ToRpcException(exception).NotExecuted);
    }

    [Fact]
    public void MarkOnAnAggregate_OrOnAnInnerException_ClearsTheFlag_AndNeverSetsIt()
    {
        var outer = new AggregateException(Stopping());
        ExecutionMark.Set(outer);
        var inner = Stopping();
        ExecutionMark.Set(inner);
        var timeout = new TimeoutException("late");
        ExecutionMark.Set(timeout);

        Assert.False(RpcStatusMapper.ToRpcException(outer).NotExecuted);
        Assert.False(RpcStatusMapper.ToRpcException(new AggregateException(inner)).NotExecuted);
        Assert.False(RpcStatusMapper.ToRpcException(timeout).NotExecuted);
        Assert.True(RpcStatusMapper.ToRpcException(new AggregateException(Stopping())).NotExecuted);
    }

    private static SiloUnavailableException Stopping() => new("Silo 'S127.0.0.1:11111:1' is shutting down.");
}
