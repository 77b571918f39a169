using Orleans;

namespace ReliableRpc.Grains.Ledger;

/// <summary>The persisted state of an account.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Ledger.AccountState")]
public sealed class AccountState : IIdempotentState
{
    /// <summary>The current balance.</summary>
    [Id(0)] public long Balance { get; set; }

    /// <summary>Everything ever deposited.</summary>
    [Id(1)] public long Deposited { get; set; }

    /// <summary>Everything ever withdrawn.</summary>
    [Id(2)] public long Withdrawn { get; set; }

    /// <summary>
    /// The transfer legs applied, by <see cref="TransferLeg.LegId"/>: a repeated leg is recognised and not applied
    /// again. A leg is kept until its transfer, final, has the account forget it (so only unfinished and recently
    /// finished transfers are here); the totals below keep the whole history.
    /// </summary>
    [Id(3)] public Dictionary<string, TransferLeg> AppliedLegs { get; set; } = new();

    /// <summary>
    /// No longer written: states stored when legs were dropped oldest first, by count, carry the order here. Kept so
    /// they load; emptied when the account next forgets a transfer.
    /// </summary>
    [Id(5)] public Queue<string> LegOrder { get; set; } = new();

    /// <summary>Everything ever received by transfer (credits and refunds).</summary>
    [Id(6)] public long TransfersIn { get; set; }

    /// <summary>Everything ever sent by transfer (debits).</summary>
    [Id(7)] public long TransfersOut { get; set; }

    /// <summary>A frozen account refuses credits (FailedPrecondition): the way to make a transfer fail for good.</summary>
    [Id(8)] public bool Frozen { get; set; }

    /// <summary>Outcomes of keyed deposits and withdrawals, written with the balance they changed.</summary>
    [Id(4)] public IdempotencyRecords IdempotencyRecords { get; set; } = new();
}
