using Orleans;

namespace ReliableRpc;

/// <summary>
/// A call's deadline passed: thrown instead of an <see cref="RpcException"/> so that code written for plain Orleans,
/// which catches <see cref="TimeoutException"/> around a call, keeps catching it. Its status is always
/// <see cref="RpcStatus.DeadlineExceeded"/>.
/// </summary>
/// <remarks>
/// <c>catch (RpcException)</c> does not catch it; <c>RpcStatus.Of(exception)</c> reads the status of either, and of
/// any other exception, without a catch per type.
/// </remarks>
[GenerateSerializer]
[Alias("ReliableRpc.RpcDeadlineExceededException")]
public sealed class RpcDeadlineExceededException : TimeoutException
{
    /// <summary>Creates the exception with a detail saying which deadline passed, and where.</summary>
    public RpcDeadlineExceededException(string detail, bool notExecuted = false, Exception? innerException = null)
        : base($"{RpcStatus.DeadlineExceeded}: {detail}", innerException)
    {
        Detail = detail;
        NotExecuted = notExecuted;
    }

    /// <summary>Always <see cref="RpcStatus.DeadlineExceeded"/>: the status shared with <see cref="RpcException"/>.</summary>
    public RpcStatus Status => RpcStatus.DeadlineExceeded;

    /// <summary>Which deadline passed, and where: before calling, before running, while running.</summary>
    [Id(0)]
    public string Detail { get; private set; }

    /// <summary>
    /// True only when it is certain that the target method did not start: the deadline had passed before it was sent,
    /// or before it was dispatched.
    /// </summary>
    [Id(1)]
    public bool NotExecuted { get; private set; }

    /// <summary>True when the caller's side gave up, not the receiver.</summary>
    [Id(2)]
    public bool ClientGenerated { get; init; }

    /// <summary>A copy with <see cref="NotExecuted"/> cleared: the call that carried it did start.</summary>
    public RpcDeadlineExceededException AsExecuted() =>
        NotExecuted ? new RpcDeadlineExceededException(Detail, notExecuted: false, InnerException) { ClientGenerated = ClientGenerated } : this;

    /// <summary>The deadline form of a DeadlineExceeded <see cref="RpcException"/>, the pipeline's inner form of every failure.</summary>
    internal static RpcDeadlineExceededException From(RpcException failure) =>
        new(failure.Detail, failure.NotExecuted, failure.InnerException) { ClientGenerated = failure.ClientGenerated };
}
