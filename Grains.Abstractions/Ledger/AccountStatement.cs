using Orleans;

namespace ReliableRpc.Grains.Ledger;

/// <summary>
/// An account's balance with what explains it: balance = deposited − withdrawn + transfers in − transfers out,
/// and the most recent transfer legs applied.
/// </summary>
[GenerateSerializer]
[Alias("ReliableRpc.Ledger.AccountStatement")]
public sealed record AccountStatement(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long Balance,
    [property: Id(2)] long Deposited,
    [property: Id(3)] long Withdrawn,
    [property: Id(4)] IReadOnlyList<TransferLeg> AppliedLegs,
    [property: Id(5)] long TransfersIn,
    [property: Id(6)] long TransfersOut,
    [property: Id(7)] bool Frozen)
{
    /// <summary>The balance implied by the totals.</summary>
    public long ExpectedBalance => Deposited - Withdrawn + TransfersIn - TransfersOut;
}
