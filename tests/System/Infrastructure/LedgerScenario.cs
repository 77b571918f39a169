using ReliableRpc.Client.Connection;
using ReliableRpc.Client.Ledger;
using ReliableRpc.Grains.Chaos;

namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>
/// What the crash, restart and chaos tests share: a local cluster, a client of it, and a ledger with its accounts
/// opened, all under one time limit; disposed in reverse order. Each test brings its own load mix and disruption.
/// </summary>
internal sealed class LedgerScenario : IAsyncDisposable
{
    private readonly CancellationTokenSource _timeout;

    private LedgerScenario(LocalCluster cluster, ClusterConnection connection, LedgerWorkload ledger, CancellationTokenSource timeout)
    {
        Cluster = cluster;
        Connection = connection;
        Ledger = ledger;
        _timeout = timeout;
    }

    public LocalCluster Cluster { get; }

    public ClusterConnection Connection { get; }

    public IClusterClient Client => Connection.Client;

    public LedgerWorkload Ledger { get; }

    /// <summary>Fires when the test's time limit is spent.</summary>
    public CancellationToken Timeout => _timeout.Token;

    /// <summary>Calls that are neither idempotent nor keyed: only failures that prove nothing ran may be retried.</summary>
    public (string Name, Func<long, CancellationToken, Task> Call) UnkeyedCounts =>
        ("unkeyed counts", (n, ct) => Client.GetGrain<IChaosGrain>($"count-{n % 100}").Count(ct));

    /// <param name="name">Names the ledger's accounts and transfers.</param>
    /// <param name="accounts">How many accounts to open (1,000,000 each).</param>
    /// <param name="seed">The ledger's seed: which accounts each call picks.</param>
    /// <param name="timeout">The test's time limit, from now.</param>
    /// <param name="siloArguments">Extra command-line arguments for the 3 silos.</param>
    public static Task<LedgerScenario> StartAsync(string name, int accounts, int seed, TimeSpan timeout, params string[] siloArguments) =>
        StartAsync(name, accounts, seed, timeout, redis: null, siloArguments);

    /// <param name="redis">The Redis to run on, which the scenario then owns; null starts one without persistence.</param>
    public static async Task<LedgerScenario> StartAsync(string name, int accounts, int seed, TimeSpan timeout, RedisServer? redis, params string[] siloArguments)
    {
        var limit = new CancellationTokenSource(timeout);
        LocalCluster? cluster = null;
        ClusterConnection? connection = null;
        try
        {
            cluster = await LocalCluster.StartAsync(redis ?? await RedisServer.StartAsync(), 3, siloArguments);
            connection = await cluster.ConnectAsync(limit.Token);
            var ledger = new LedgerWorkload(connection.Client, name, accounts, openingBalance: 1_000_000, seed);
            await ledger.OpenAccountsAsync(concurrency: 20, limit.Token);
            return new LedgerScenario(cluster, connection, ledger, limit);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }

            limit.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The reconciliation: every transfer final (the audit finishes the unfinished), every account balanced, and every
    /// acknowledged transfer ended as its caller was told.
    /// </summary>
    public Task<AuditResult> AuditAsync() =>
        LedgerAudit.RunAsync(Client, Ledger.AccountIds, Ledger.Transfers, Timeout, Ledger.Acknowledged);

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Cluster.DisposeAsync();
        _timeout.Dispose();
    }
}
