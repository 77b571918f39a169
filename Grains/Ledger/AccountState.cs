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
    /// The most recent transfer legs applied, by <see cref="TransferLeg.LegId"/>: a repeated leg is recognised and
    /// not applied again. Bounded by <see cref="AccountBook.MaxLegs"/>; the totals below keep the whole history.
    /// </summary>
    [Id(3)] public Dictionary<string, TransferLeg> AppliedLegs { get; set; } = new();

    /// <summary>The order the legs in <see cref="AppliedLegs"/> were applied in, oldest first.</summary>
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
