namespace ReliableRpc.Silo.FaultInjection;

/// <summary>
/// Faults a silo injects into the ledger's incoming calls, for chaos runs (the chaos invariant system test). Off by
/// default; never turn it on in production. Bound from the "FaultInjection" section. Each rate is the probability,
/// per delivered call, of that fault; they must add up to at most 1.
/// </summary>
public sealed class FaultInjectionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FaultInjection";

    /// <summary>Turns injection on. The default value is false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Seed of the silo's fault choices. The default value is 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>The call fails with Unavailable before the method runs. The default value is 0.01.</summary>
    public double ErrorRate { get; set; } = 0.01;

    /// <summary>The method runs, but its response is replaced by an Unavailable failure (a lost response). The default value is 0.01.</summary>
    public double LostResponseRate { get; set; } = 0.01;

    /// <summary>The call waits up to <see cref="MaxDelay"/> before the method runs. The default value is 0.01.</summary>
    public double DelayRate { get; set; } = 0.01;

    /// <summary>The method runs twice with the same arguments (a duplicate delivery). The default value is 0.01.</summary>
    public double DuplicateRate { get; set; } = 0.01;

    /// <summary>Longest injected delay. The default value is 1.5 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// The share of transfers that crash once (per silo process) right after one saga step, before recording it: the
    /// transfer's activation is dropped with what it had not written (see <c>TransferFaults</c>). The default value is 0.
    /// </summary>
    public double TransferCrashRate { get; set; }
}
