using System.Collections.Concurrent;
using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Client.Ledger;

/// <summary>
/// Ledger traffic for load runs: transfers between random accounts of a run-specific set, each with a
/// transfer id of its own, remembered so the run can be audited afterwards.
/// </summary>
internal sealed class LedgerWorkload
{
    private readonly IClusterClient _client;
    private readonly int _seed;
    private readonly ConcurrentDictionary<string, TransferRequest> _transfers = new();
    private readonly ConcurrentDictionary<string, TransferStatus> _acknowledged = new();

    public LedgerWorkload(IClusterClient client, string runId, int accounts, long openingBalance, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accounts, 2);
        _client = client;
        _seed = seed;
        RunId = runId;
        OpeningBalance = openingBalance;
        AccountIds = Enumerable.Range(0, accounts).Select(i => $"{runId}-acct-{i}").ToArray();
    }

    /// <summary>Prefix of every account and transfer id of this run.</summary>
    public string RunId { get; }

    /// <summary>What each account is opened with.</summary>
    public long OpeningBalance { get; }

    /// <summary>The run's accounts.</summary>
    public IReadOnlyList<string> AccountIds { get; }

    /// <summary>Every transfer that was requested, acknowledged or not.</summary>
    public IReadOnlyDictionary<string, TransferRequest> Transfers => _transfers;

    /// <summary>The transfers whose call returned, with the outcome the caller was told.</summary>
    public IReadOnlyDictionary<string, TransferStatus> Acknowledged => _acknowledged;

    /// <summary>Deposits the opening balance into every account; repeats until each account holds money.</summary>
    public async Task OpenAccountsAsync(int concurrency, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(AccountIds, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                var account = _client.GetGrain<IAccountGrain>(id);
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        // A deposit is not idempotent: check before repeating one whose outcome is unknown.
                        if (await account.GetBalance(ct) == 0)
                        {
                            await account.Deposit(OpeningBalance, ct);
                        }

                        return;
                    }
                    catch (Exception) when (attempt < 10)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
                    }
                }
            });
    }

    /// <summary>The total money in the run's accounts.</summary>
    public async Task<long> TotalMoneyAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var chunk in AccountIds.Chunk(100))
        {
            var balances = await Task.WhenAll(chunk.Select(id => _client.GetGrain<IAccountGrain>(id).GetBalance(cancellationToken)));
            total += balances.Sum();
        }

        return total;
    }

    /// <summary>Call number <paramref name="n"/>: a transfer of 1–10 between two accounts chosen by the seed.</summary>
    public async Task TransferAsync(long n, CancellationToken cancellationToken)
    {
        var random = new Random(HashCode.Combine(_seed, n));
        var from = random.Next(AccountIds.Count);
        var to = (from + 1 + random.Next(AccountIds.Count - 1)) % AccountIds.Count;
        var id = $"{RunId}-tx-{n}";
        var request = new TransferRequest(AccountIds[from], AccountIds[to], random.Next(1, 11));
        _transfers[id] = request;
        var outcome = await _client.GetGrain<ITransferGrain>(id).Execute(request, cancellationToken);
        _acknowledged[id] = outcome.Status;
    }

    /// <summary>Call number <paramref name="n"/>: a deposit of 1 into an account chosen by the seed.</summary>
    public Task DepositAsync(long n, CancellationToken cancellationToken)
    {
        var random = new Random(HashCode.Combine(_seed, n));
        return _client.GetGrain<IAccountGrain>(AccountIds[random.Next(AccountIds.Count)]).Deposit(1, cancellationToken);
    }

    /// <summary>Call number <paramref name="n"/>: a balance read of an account chosen by the seed.</summary>
    public Task ReadAsync(long n, CancellationToken cancellationToken)
    {
        var random = new Random(HashCode.Combine(_seed, n));
        return _client.GetGrain<IAccountGrain>(AccountIds[random.Next(AccountIds.Count)]).GetBalance(cancellationToken);
    }
}
