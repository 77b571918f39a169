using Orleans;

namespace ReliableRpc.Grains.Ledger;

/// <summary>
/// An account's balance with what explains it: balance = deposited − withdrawn + the sum of the
/// signed amounts of the applied transfer legs.
/// </summary>
[GenerateSerializer]
[Alias("ReliableRpc.Ledger.AccountStatement")]
public sealed record AccountStatement(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long Balance,
    [property: Id(2)] long Deposited,
    [property: Id(3)] long Withdrawn,
    [property: Id(4)] IReadOnlyList<TransferLeg> AppliedLegs)
{
    /// <summary>The balance implied by the totals and the applied legs.</summary>
    public long ExpectedBalance => Deposited - Withdrawn + AppliedLegs.Sum(l => l.SignedAmount);
}
