using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Client.Ledger;

/// <summary>
/// Drives every transfer of a run to a final state, then reconciles account by account (see <see cref="Reconcile"/>).
/// Conservation of the total alone could not see a transfer applied twice (debit twice and credit twice still
/// conserves money); this check can.
/// </summary>
internal static class LedgerAudit
{
    /// <summary>Fetches the states and statements, finishing unfinished transfers on the way, and reconciles them.</summary>
    public static async Task<AuditResult> RunAsync(
        IClusterClient client,
        IReadOnlyList<string> accountIds,
        IReadOnlyDictionary<string, TransferRequest> transfers,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, TransferStatus>? acknowledged = null)
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

        var statements = new List<AccountStatement>();
        foreach (var accountId in accountIds)
        {
            statements.Add(await RetryAsync(() => client.GetGrain<IAccountGrain>(accountId).GetStatement(cancellationToken), cancellationToken));
        }

        return Reconcile(statements, transfers, states, acknowledged) with { Resumed = resumed };
    }

    /// <summary>
    /// Checks, with nothing but the data: every transfer is final; each account's balance equals deposits −
    /// withdrawals + transfers in − transfers out; each account's transfer totals equal what the final transfers say
    /// (a completed transfer moves its amount once out of one account and once into the other, a refunded one out
    /// and back); and every leg an account remembers belongs to a requested transfer, on the right account, for
    /// the right amount. With <paramref name="acknowledged"/>, also that every transfer ended as its caller was told.
    /// </summary>
    public static AuditResult Reconcile(
        IReadOnlyList<AccountStatement> statements,
        IReadOnlyDictionary<string, TransferRequest> transfers,
        IReadOnlyDictionary<string, TransferState> states,
        IReadOnlyDictionary<string, TransferStatus>? acknowledged = null)
    {
        var discrepancies = new List<string>();
        var expectedIn = new Dictionary<string, long>();
        var expectedOut = new Dictionary<string, long>();
        int completed = 0, failed = 0, refunded = 0;
        foreach (var (id, told) in acknowledged ?? new Dictionary<string, TransferStatus>())
        {
            if (states.GetValueOrDefault(id)?.Status is { } status && status != told)
            {
                discrepancies.Add($"transfer {id} was acknowledged as {told} but ended {status}");
            }
        }

        foreach (var (id, request) in transfers)
        {
            var state = states.GetValueOrDefault(id);
            switch (state?.Status)
            {
                case TransferStatus.Completed:
                    completed++;
                    Add(expectedOut, request.FromAccount, request.Amount);
                    Add(expectedIn, request.ToAccount, request.Amount);
                    break;
                case TransferStatus.Failed:
                    failed++;
                    if (state.DebitRefunded)
                    {
                        refunded++;
                        Add(expectedOut, request.FromAccount, request.Amount);
                        Add(expectedIn, request.FromAccount, request.Amount);
                    }

                    break;
                default:
                    // Never recorded, or still in flight (Pending, Debited, Refunding): the money is not where it will end.
                    discrepancies.Add($"transfer {id} did not reach a final state: {state?.Status.ToString() ?? "unknown"}");
                    break;
            }
        }

        long total = 0;
        foreach (var statement in statements)
        {
            var id = statement.AccountId;
            total += statement.Balance;
            if (statement.Balance != statement.ExpectedBalance)
            {
                discrepancies.Add($"account {id}: balance {statement.Balance} but its deposits, withdrawals and transfers give {statement.ExpectedBalance}");
            }

            if (statement.TransfersIn != expectedIn.GetValueOrDefault(id) || statement.TransfersOut != expectedOut.GetValueOrDefault(id))
            {
                discrepancies.Add($"account {id}: transfers in/out {statement.TransfersIn}/{statement.TransfersOut} but the final transfers say {expectedIn.GetValueOrDefault(id)}/{expectedOut.GetValueOrDefault(id)}");
            }

            foreach (var leg in statement.AppliedLegs)
            {
                if (!transfers.TryGetValue(leg.TransferId, out var request))
                {
                    discrepancies.Add($"account {id}: leg {leg.LegId} of a transfer that was never requested");
                }
                else if ((leg.Kind == TransferLegKind.Credit ? request.ToAccount : request.FromAccount) != id || leg.Amount != request.Amount)
                {
                    discrepancies.Add($"account {id}: leg {leg.LegId} of {leg.Amount} does not match transfer {request}");
                }
            }
        }

        return new AuditResult(transfers.Count, completed, failed, 0, total, discrepancies) { Refunded = refunded };
    }

    private static void Add(Dictionary<string, long> totals, string account, long amount) =>
        totals[account] = totals.GetValueOrDefault(account) + amount;

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
                // Only idempotent calls come through here (reads, and transfers repeated under their own id);
                // this covers plain-Orleans runs, where nothing below retries.
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
    /// <summary>Failed transfers whose debit was refunded (the credit was refused for good); part of <see cref="Failed"/>.</summary>
    public int Refunded { get; init; }

    /// <summary>True when every transfer is final and every account reconciles.</summary>
    public bool Reconciles => Discrepancies.Count == 0;
}
