using System.Collections.Concurrent;

namespace ReliableRpc.Grains.Ledger;

/// <summary>A step of a transfer after which a crash can be injected.</summary>
public enum TransferStep
{
    /// <summary>The intent is stored; no account touched.</summary>
    AfterIntent,

    /// <summary>The debit is applied at the account, and not yet recorded by the transfer.</summary>
    AfterDebit,

    /// <summary>The credit is applied at the account, and not yet recorded by the transfer.</summary>
    AfterCredit,

    /// <summary>The refund (of a credit refused for good) is applied at the source account, and not yet recorded by the transfer.</summary>
    AfterRefund,
}

/// <summary>
/// Crash points for chaos runs and tests: a transfer whose id contains a registered marker "crashes" (drops its
/// activation without writing) right after the given step. Empty in normal operation.
/// </summary>
public sealed class TransferFaults
{
    private readonly ConcurrentDictionary<string, TransferStep> _crashes = new();

    /// <summary>Makes transfers whose id contains <paramref name="marker"/> crash once after <paramref name="step"/>.</summary>
    public void CrashOnceAfter(string marker, TransferStep step) => _crashes[marker] = step;

    /// <summary>True (once) when the transfer must crash after <paramref name="step"/>.</summary>
    public bool ShouldCrash(string transferId, TransferStep step)
    {
        foreach (var (marker, at) in _crashes)
        {
            if (at == step && transferId.Contains(marker, StringComparison.Ordinal) && _crashes.TryRemove(marker, out _))
            {
                return true;
            }
        }

        return false;
    }
}
