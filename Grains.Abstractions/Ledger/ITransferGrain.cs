using Orleans;

namespace ReliableRpc.Grains.Ledger;

/// <summary>
/// A transfer of money between two accounts, keyed by a transfer id that the caller chooses.
/// The intent is persisted before any account is touched, so a repeated or resumed call finishes it.
/// </summary>
[Alias("ReliableRpc.Ledger.ITransferGrain")]
public interface ITransferGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the intent (first call only) and drives the transfer to a final state. Repeating it with
    /// the same request is safe and returns the same final state; another request under the same id
    /// fails with InvalidArgument.
    /// </summary>
    [Idempotent]
    [Alias("Execute")]
    Task<TransferState> Execute(TransferRequest request, CancellationToken cancellationToken = default);

    /// <summary>The transfer's current state; <see cref="TransferStatus.None"/> when it was never requested.</summary>
    [Idempotent]
    [Alias("GetState")]
    Task<TransferState> GetState(CancellationToken cancellationToken = default);
}
