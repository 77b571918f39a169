using Orleans;

namespace ReliableRpc.Grains.Ledger;

/// <summary>What a transfer should do: move <see cref="Amount"/> from one account to another.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Ledger.TransferRequest")]
public sealed record TransferRequest(
    [property: Id(0)] string FromAccount,
    [property: Id(1)] string ToAccount,
    [property: Id(2)] long Amount);
