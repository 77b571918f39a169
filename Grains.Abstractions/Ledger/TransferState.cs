using Orleans;

namespace ReliableRpc.Grains.Ledger;

/// <summary>Where a transfer is.</summary>
public enum TransferStatus
{
    /// <summary>No transfer with this id was requested.</summary>
    None = 0,

    /// <summary>The intent is recorded; no account was touched yet.</summary>
    Pending = 1,

    /// <summary>The source account was debited; the credit is outstanding.</summary>
    Debited = 2,

    /// <summary>Final: debited and credited.</summary>
    Completed = 3,

    /// <summary>Final: nothing moved (the debit was refused, or it was refunded).</summary>
    Failed = 4,

    /// <summary>
    /// The credit was refused for good: the debit is being refunded, and the transfer will end <see cref="Failed"/>.
    /// It never credits from here, even if the destination would now take the credit.
    /// </summary>
    Refunding = 5,
}

/// <summary>The state of a transfer as its grain reports it.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Ledger.TransferState")]
public sealed record TransferState(
    [property: Id(0)] string TransferId,
    [property: Id(1)] TransferStatus Status,
    [property: Id(2)] TransferRequest? Request,
    [property: Id(3)] string? FailureReason,
    [property: Id(4)] bool DebitRefunded = false)
{
    /// <summary>True when the transfer will not change any more.</summary>
    public bool IsFinal => Status is TransferStatus.Completed or TransferStatus.Failed;
}
