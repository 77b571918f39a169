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
/// activation without writing) right after the given step; with <see cref="CrashShareOfTransfers"/>, so does a share of
/// all transfers. Empty in normal operation.
/// </summary>
public sealed class TransferFaults
{
    private static readonly TransferStep[] Steps = Enum.GetValues<TransferStep>();
    private readonly ConcurrentDictionary<string, TransferStep> _crashes = new();
    private readonly ConcurrentDictionary<string, bool> _shareCrashed = new();
    private volatile ShareOfTransfers? _share;

    /// <summary>Makes transfers whose id contains <paramref name="marker"/> crash once after <paramref name="step"/>.</summary>
    public void CrashOnceAfter(string marker, TransferStep step) => _crashes[marker] = step;

    /// <summary>
    /// Makes a share of all transfers crash once (in this process) after one step; which transfers and which step
    /// follow from the transfer id and <paramref name="seed"/>, so every silo picks the same.
    /// </summary>
    /// <param name="share">The share of transfers, from 0 (none, the default) to 1.</param>
    /// <param name="seed">Varies the choice between runs.</param>
    public void CrashShareOfTransfers(double share, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(share, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1);
        _share = share > 0 ? new ShareOfTransfers(share, seed) : null;
    }

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

        return _share is { } share && share.Picks(transferId, step) && _shareCrashed.TryAdd(transferId, true);
    }

    private sealed record ShareOfTransfers(double Share, int Seed)
    {
        public bool Picks(string transferId, TransferStep step)
        {
            // FNV-1a: string.GetHashCode differs between processes, and the silos must agree.
            var hash = 2166136261u ^ (uint)Seed;
            foreach (var c in transferId)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return hash % 10_000 < Share * 10_000 && Steps[(int)(hash / 10_000 % (uint)Steps.Length)] == step;
        }
    }
}
