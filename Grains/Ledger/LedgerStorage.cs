namespace ReliableRpc.Grains.Ledger;

/// <summary>The grain storage provider the ledger's grains persist to; the silo registers it.</summary>
public static class LedgerStorage
{
    /// <summary>The provider name.</summary>
    public const string Name = "ledger";
}
