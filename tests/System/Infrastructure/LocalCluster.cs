using ReliableRpc.Client.Connection;
using ReliableRpc.Tls;

namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>
/// A real cluster for one test: a redis-server and N silo processes on fixed free ports, restarted on the same
/// ports as an operator would. Everything it started is stopped on dispose, even after a failure.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly RedisServer _redis;
    private readonly (int Silo, int Gateway)[] _ports;
    private readonly SiloProcess?[] _silos;

    private readonly string[] _siloArguments;
    private readonly List<string> _retiredOutput = [];

    private LocalCluster(RedisServer redis, int count, string[] siloArguments)
    {
        _siloArguments = siloArguments;
        _redis = redis;
        ClusterId = $"sys-{Guid.NewGuid():N}"[..16];
        _ports = Enumerable.Range(0, count).Select(_ => (FreePorts.Next(), FreePorts.Next())).ToArray();
        _silos = new SiloProcess?[count];
    }

    public string ClusterId { get; }

    /// <summary>The Redis connection string with its password, for the tests' own connections.</summary>
    public string Redis => _redis.AuthenticatedConnectionString;

    /// <summary>The redis-server.</summary>
    public RedisServer RedisServer => _redis;

    /// <summary>
    /// The certificates silos start with from now on (mutual TLS, the default: the cluster's test CA); set another
    /// set to rotate at the next restarts, or null for plain TCP.
    /// </summary>
    public CertificateSet? SiloCertificates { get; set; } = TestCertificates.Cluster;

    /// <summary>The certificates this test's clients use.</summary>
    public CertificateSet? ClientCertificates { get; set; } = TestCertificates.Cluster;

    /// <summary>The gateway port of silo <paramref name="index"/>.</summary>
    public int GatewayPort(int index) => _ports[index].Gateway;

    public int Count => _silos.Length;

    /// <param name="silos">How many silos.</param>
    /// <param name="siloArguments">Extra command-line arguments for every silo.</param>
    public static async Task<LocalCluster> StartAsync(int silos, params string[] siloArguments) =>
        await StartAsync(await RedisServer.StartAsync(), silos, siloArguments);

    /// <summary>A cluster on <paramref name="redis"/>, which it then owns (stopped on dispose).</summary>
    public static async Task<LocalCluster> StartAsync(RedisServer redis, int silos, params string[] siloArguments)
    {
        var cluster = new LocalCluster(redis, silos, siloArguments);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, silos).Select(cluster.StartSiloAsync));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartSiloAsync(int index) =>
        _silos[index] = await SiloProcess.StartAsync(_redis, ClusterId, SiloCertificates, _ports[index].Silo, _ports[index].Gateway, _siloArguments);

    /// <summary>What every silo process of this cluster, stopped or running, has written so far.</summary>
    public IEnumerable<string> AllOutput()
    {
        lock (_retiredOutput)
        {
            return _retiredOutput.Concat(_silos.Where(s => s is not null).Select(s => s!.Output)).ToList();
        }
    }

    private async Task RetireAsync(SiloProcess silo)
    {
        await silo.DisposeAsync();
        lock (_retiredOutput)
        {
            _retiredOutput.Add(silo.Output);
        }
    }

    /// <summary>What silo <paramref name="index"/> has written to its standard output and error so far.</summary>
    public string OutputOf(int index) => _silos[index]?.Output ?? "";

    /// <summary>Waits until silo <paramref name="index"/> has written <paramref name="text"/>: its logger writes from a queue of its own.</summary>
    public Task WaitForOutputAsync(int index, string text, TimeSpan timeout) =>
        (_silos[index] ?? throw new InvalidOperationException($"silo {index} is not running")).WaitForOutputAsync(text, timeout);

    /// <summary>SIGTERM and wait for the exit; returns how long the stop took.</summary>
    public async Task<TimeSpan> StopSiloAsync(int index)
    {
        var silo = _silos[index] ?? throw new InvalidOperationException($"silo {index} is not running");
        var took = await silo.StopGracefullyAsync();
        await RetireAsync(silo);
        _silos[index] = null;
        return took;
    }

    /// <summary>SIGKILL: no drain, no goodbye.</summary>
    public async Task KillSiloAsync(int index)
    {
        var silo = _silos[index] ?? throw new InvalidOperationException($"silo {index} is not running");
        await silo.KillAsync();
        await RetireAsync(silo);
        _silos[index] = null;
    }

    /// <summary>SIGSTOP (<paramref name="freeze"/>) or SIGCONT of silo <paramref name="index"/>.</summary>
    public void Freeze(int index, bool freeze) =>
        (_silos[index] ?? throw new InvalidOperationException($"silo {index} is not running")).Freeze(freeze);

    /// <summary>
    /// Waits for silo <paramref name="index"/> to exit by itself (a silo declared dead stops itself); true when it
    /// did, and the slot is then free for <see cref="StartSiloAsync"/>, as a supervisor would restart it.
    /// </summary>
    public async Task<bool> WaitForExitAsync(int index, TimeSpan timeout)
    {
        var silo = _silos[index] ?? throw new InvalidOperationException($"silo {index} is not running");
        if (!await silo.WaitForExitAsync(timeout))
        {
            return false;
        }

        await RetireAsync(silo);
        _silos[index] = null;
        return true;
    }

    /// <summary>True while silo <paramref name="index"/> has a process (running or frozen).</summary>
    public bool IsRunning(int index) => _silos[index] is { HasExited: false };

    /// <summary>The silo-to-silo port of silo <paramref name="index"/>, which names it in membership.</summary>
    public int SiloPort(int index) => _ports[index].Silo;

    /// <summary>A client of this cluster, in this process, with the pipeline on (and mutual TLS unless the silos are plain).</summary>
    public Task<ClusterConnection> ConnectAsync(CancellationToken cancellationToken) => ConnectAsync(ClientOptions(), cancellationToken);

    /// <summary>A client with these options.</summary>
    public Task<ClusterConnection> ConnectAsync(ClusterConnectionOptions options, CancellationToken cancellationToken) =>
        ClusterConnection.ConnectAsync(options, cancellationToken);

    /// <summary>The options of a well-configured client of this cluster, through Redis.</summary>
    public ClusterConnectionOptions ClientOptions(TimeSpan? connectTimeout = null) => new(
        _redis.ConnectionString, [], ClusterId, "reliablerpc", connectTimeout ?? TimeSpan.FromSeconds(30), Verbose: false,
        Tls: ClientCertificates?.Client ?? new MutualTlsOptions { Enabled = false },
        RedisPassword: _redis.Password);

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos.Where(s => s is not null))
        {
            await silo!.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }
}
