using Orleans;

namespace ReliableRpc.Grains.Ledger;

/// <summary>The persisted state of a transfer.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Ledger.TransferRecord")]
public sealed class TransferRecord
{
    /// <summary>Where the transfer is.</summary>
    [Id(0)] public TransferStatus Status { get; set; }

    /// <summary>The intent, recorded on the first call.</summary>
    [Id(1)] public TransferRequest? Request { get; set; }

    /// <summary>Why a failed transfer failed; set already when it starts <see cref="TransferStatus.Refunding"/>.</summary>
    [Id(2)] public string? FailureReason { get; set; }

    /// <summary>True when the debit was applied and then refunded (a failed transfer whose credit was refused).</summary>
    [Id(3)] public bool DebitRefunded { get; set; }
}
