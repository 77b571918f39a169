namespace ReliableRpc.Client.Blobs;

/// <summary>
/// How a transfer rides out a cluster that is briefly unable to answer (a silo killed, restarting): after a failure
/// whose outcome is unknown, it waits and asks the upload where it stands, then carries on from there. It gives up
/// once no byte has moved for <see cref="StallTimeout"/>. This sits above the pipeline's own retries (which stop at
/// one call's deadline) because a transfer is many calls: resyncing costs one small call and cannot apply anything
/// twice, since every blob method is idempotent.
/// </summary>
/// <param name="StallTimeout">How long without progress before the transfer gives up.</param>
/// <param name="Pause">The wait after a failure before resyncing.</param>
internal sealed record TransferRetry(TimeSpan StallTimeout, TimeSpan Pause)
{
    /// <summary>One minute without progress; one second between tries.</summary>
    public static TransferRetry Default { get; } = new(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1));

    /// <summary>True for statuses that say the call may not have run, or ran and its answer was lost: worth a resync.</summary>
    public static bool IsTransient(Exception failure) => RpcStatus.Of(failure) is
        RpcStatus.Unavailable or RpcStatus.DeadlineExceeded or RpcStatus.Unknown or RpcStatus.Aborted or RpcStatus.Internal
        || failure is RpcException { Status: RpcStatus.ResourceExhausted, RetryAfter: not null };
}
