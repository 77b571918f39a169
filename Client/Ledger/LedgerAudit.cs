using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Client.Ledger;

/// <summary>
/// Drives every transfer of a run to a final state, then reconciles account by account:
/// balance = deposited − withdrawn + the applied legs; every leg belongs to a requested transfer with
/// the same amount; a completed transfer shows a debit and a credit, a failed one nothing or a refunded debit.
/// Conservation of the total alone could not see a transfer applied twice; this check can.
/// </summary>
internal static class LedgerAudit
{
    /// <summary>Runs the audit over <paramref name="accountIds"/> and the transfers that were requested.</summary>
    public static async Task<AuditResult> RunAsync(
        IClusterClient client,
        IReadOnlyList<string> accountIds,
        IReadOnlyDictionary<string, TransferRequest> transfers,
        CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, TransferState>();
        var resumed = 0;
        foreach (var (id, request) in transfers)
        {
            var grain = client.GetGrain<ITransferGrain>(id);
            var state = await RetryAsync(() => grain.GetState(cancellationToken), cancellationToken);
            if (!state.IsFinal)
            {
                // The caller of an unfinished transfer went away; repeating it with the same id finishes it.
                state = await RetryAsync(() => grain.Execute(request, cancellationToken), cancellationToken);
                resumed++;
            }

            states[id] = state;
        }

        var discrepancies = new List<string>();
        var legsSeen = new Dictionary<string, List<(string Account, TransferLeg Leg)>>();
        long total = 0;
        foreach (var accountId in accountIds)
        {
            var statement = await RetryAsync(() => client.GetGrain<IAccountGrain>(accountId).GetStatement(cancellationToken), cancellationToken);
            total += statement.Balance;
            if (statement.Balance != statement.ExpectedBalance)
            {
                discrepancies.Add($"account {accountId}: balance {statement.Balance} but deposits, withdrawals and legs give {statement.ExpectedBalance}");
            }

            foreach (var leg in statement.AppliedLegs)
            {
                if (!transfers.TryGetValue(leg.TransferId, out var request))
                {
                    discrepancies.Add($"account {accountId}: leg {leg.LegId} of a transfer that was never requested");
                    continue;
                }

                var expectedAccount = leg.Kind == TransferLegKind.Credit ? request.ToAccount : request.FromAccount;
                if (expectedAccount != accountId || leg.Amount != request.Amount)
                {
                    discrepancies.Add($"account {accountId}: leg {leg.LegId} of {leg.Amount} does not match transfer {request}");
                }

                if (!legsSeen.TryGetValue(leg.TransferId, out var seen))
                {
                    legsSeen[leg.TransferId] = seen = new();
                }

                seen.Add((accountId, leg));
            }
        }

        int completed = 0, failed = 0;
        foreach (var (id, state) in states)
        {
            var kinds = legsSeen.TryGetValue(id, out var seen) ? seen.Select(s => s.Leg.Kind).Order().ToArray() : [];
            switch (state.Status)
            {
                case TransferStatus.Completed:
                    completed++;
                    if (!kinds.SequenceEqual([TransferLegKind.Debit, TransferLegKind.Credit]))
                    {
                        discrepancies.Add($"transfer {id} is completed but its legs are [{string.Join(", ", kinds)}]");
                    }

                    break;
                case TransferStatus.Failed:
                    failed++;
                    if (kinds.Length != 0 && !kinds.SequenceEqual([TransferLegKind.Debit, TransferLegKind.Refund]))
                    {
                        discrepancies.Add($"transfer {id} failed but its legs are [{string.Join(", ", kinds)}]");
                    }

                    break;
                default:
                    discrepancies.Add($"transfer {id} did not reach a final state: {state.Status}");
                    break;
            }
        }

        return new AuditResult(transfers.Count, completed, failed, resumed, total, discrepancies);
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (attempt < 10 && !cancellationToken.IsCancellationRequested)
            {
                // Only idempotent calls come through here (reads, and transfers repeated under their own id).
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
        }
    }
}

/// <summary>The audit's verdict.</summary>
/// <param name="Transfers">Transfers requested.</param>
/// <param name="Completed">Transfers that completed.</param>
/// <param name="Failed">Transfers that failed (nothing moved, or the debit was refunded).</param>
/// <param name="Resumed">Unfinished transfers that the audit drove to their end.</param>
/// <param name="TotalMoney">The sum of the balances.</param>
/// <param name="Discrepancies">Everything that does not reconcile; empty when all is well.</param>
internal sealed record AuditResult(int Transfers, int Completed, int Failed, int Resumed, long TotalMoney, IReadOnlyList<string> Discrepancies)
{
    /// <summary>True when every transfer is final and every account reconciles.</summary>
    public bool Reconciles => Discrepancies.Count == 0;
}
