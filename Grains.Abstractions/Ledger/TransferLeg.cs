using Orleans;

namespace ReliableRpc.Grains.Ledger;

/// <summary>Which side of a transfer a leg is.</summary>
public enum TransferLegKind
{
    /// <summary>Money leaves the source account.</summary>
    Debit = 0,

    /// <summary>Money arrives at the destination account.</summary>
    Credit = 1,

    /// <summary>A debit given back to the source account when the credit failed for good.</summary>
    Refund = 2,
}

/// <summary>One account's part of a transfer.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Ledger.TransferLeg")]
public sealed record TransferLeg(
    [property: Id(0)] string TransferId,
    [property: Id(1)] TransferLegKind Kind,
    [property: Id(2)] long Amount)
{
    /// <summary>The change this leg makes to the balance: negative for a debit.</summary>
    public long SignedAmount => Kind == TransferLegKind.Debit ? -Amount : Amount;

    /// <summary>The id under which the account records the leg.</summary>
    public string LegId => $"{TransferId}/{Kind}";
}
