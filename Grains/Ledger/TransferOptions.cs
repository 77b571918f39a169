namespace ReliableRpc.Grains.Ledger;

/// <summary>How transfers finish when nobody waits for them. Bound from the "Ledger:Transfers" section.</summary>
public sealed class TransferOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ledger:Transfers";

    /// <summary>
    /// When the transfer's reminder first fires after the intent is recorded: a transfer whose caller went away
    /// is driven on by then. The default value is 10 s.
    /// </summary>
    public TimeSpan ResumeAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the reminder fires after that, until the transfer is final. The default value is 1 minute (Orleans' minimum).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
