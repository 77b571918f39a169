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

    /// <summary>Transfer legs applied, by <see cref="TransferLeg.LegId"/>.</summary>
    [Id(3)] public Dictionary<string, TransferLeg> AppliedLegs { get; set; } = new();

    /// <summary>Outcomes of keyed deposits and withdrawals, written with the balance they changed.</summary>
    [Id(4)] public IdempotencyRecords IdempotencyRecords { get; set; } = new();
}
