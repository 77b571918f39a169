using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Tests.System.Chaos;

/// <summary>
/// Freezes accounts for a few seconds at a time while the load runs, so transfers into them are refused for good
/// and walk the refund path. A few lanes, each freezing one account (seeded) and thawing it again; every account is
/// thawed at the end.
/// </summary>
internal sealed class AccountFreezer(IClusterClient client, IReadOnlyList<string> accountIds, int seed, int lanes = 4)
{
    private int _freezes;

    /// <summary>How many times an account was frozen.</summary>
    public int Freezes => _freezes;

    /// <summary>Freezes and thaws until <paramref name="cancellationToken"/> fires; then thaws every account it froze.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(lane => LaneAsync(new Random(HashCode.Combine(seed, lane)), cancellationToken)));
    }

    private async Task LaneAsync(Random random, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var account = client.GetGrain<IAccountGrain>(accountIds[random.Next(accountIds.Count)]);
            var frozenFor = TimeSpan.FromSeconds(2 + random.Next(5));
            try
            {
                await account.SetFrozen(true, cancellationToken);
                Interlocked.Increment(ref _freezes);
                await Task.Delay(frozenFor, cancellationToken);
            }
            catch (Exception)
            {
                // A freeze lost to the chaos is a freeze less; the thaw below still runs.
            }
            finally
            {
                await ThawAsync(account);
            }
        }
    }

    private static async Task ThawAsync(IAccountGrain account)
    {
        // Not cancelled with the run: a frozen account left behind would refuse credits the audit drives on.
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            try
            {
                await account.SetFrozen(false, CancellationToken.None);
                return;
            }
            catch (Exception)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), CancellationToken.None);
            }
        }
    }
}
