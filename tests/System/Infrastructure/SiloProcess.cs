namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>A real silo process on Redis clustering, on its own free ports.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private SiloProcess(ChildProcess process, int siloPort, int gatewayPort)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public bool HasExited => _process.HasExited;

    public string Output => _process.Output;

    /// <summary>
    /// Starts a silo and waits until its host has started (joined the cluster, gateway open). The Redis password goes
    /// through the environment; <paramref name="certificates"/> null runs it with <c>--plain-tcp</c>.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(RedisServer redis, string clusterId, CertificateSet? certificates, int? siloPort = null, int? gatewayPort = null, params string[] extraArguments)
    {
        var process = Launch(redis, clusterId, certificates, siloPort ?? FreePorts.Next(), gatewayPort ?? FreePorts.Next(), extraArguments, out var silo, out var gateway);
        await process.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));
        return new SiloProcess(process, silo, gateway);
    }

    /// <summary>Starts a silo process without waiting for it (for silos expected not to start).</summary>
    public static SiloProcess Launch(RedisServer redis, string clusterId, CertificateSet? certificates, params string[] extraArguments) =>
        new(Launch(redis, clusterId, certificates, FreePorts.Next(), FreePorts.Next(), extraArguments, out var silo, out var gateway), silo, gateway);

    private static ChildProcess Launch(RedisServer redis, string clusterId, CertificateSet? certificates, int silo, int gateway, string[] extraArguments, out int siloPort, out int gatewayPort)
    {
        siloPort = silo;
        gatewayPort = gateway;
        return new ChildProcess($"silo:{silo}", "dotnet",
        [
            RepositoryPaths.SiloDll,
            "--silo-port", silo.ToString(), "--gateway-port", gateway.ToString(),
            "--cluster-id", clusterId, "--redis", redis.ConnectionString,
            .. certificates?.SiloArguments ?? ["--plain-tcp"],
            .. extraArguments,
        ], new Dictionary<string, string> { ["RELIABLERPC_Redis__Password"] = redis.Password });
    }

    /// <summary>Waits until the output contains <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout) => _process.WaitForOutputAsync(text, timeout);

    /// <summary>SIGTERM and wait: the graceful stop an operator does.</summary>
    public Task<TimeSpan> StopGracefullyAsync() => _process.StopGracefullyAsync(TimeSpan.FromSeconds(45));

    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGSTOP or SIGCONT.</summary>
    public void Freeze(bool freeze) => _process.Freeze(freeze);

    /// <summary>Waits for the silo to exit by itself; false when it still runs after <paramref name="timeout"/>.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
