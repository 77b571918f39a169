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

    /// <summary>Starts a silo and waits until its host has started (joined the cluster, gateway open).</summary>
    public static async Task<SiloProcess> StartAsync(string redis, string clusterId, int? siloPort = null, int? gatewayPort = null, params string[] extraArguments)
    {
        var silo = siloPort ?? FreePorts.Next();
        var gateway = gatewayPort ?? FreePorts.Next();
        var process = new ChildProcess($"silo:{silo}", "dotnet",
        [
            RepositoryPaths.SiloDll,
            "--silo-port", silo.ToString(), "--gateway-port", gateway.ToString(),
            "--cluster-id", clusterId, "--redis", redis,
            .. extraArguments,
        ]);
        await process.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));
        return new SiloProcess(process, silo, gateway);
    }

    /// <summary>SIGTERM and wait: the graceful stop an operator does.</summary>
    public Task<TimeSpan> StopGracefullyAsync() => _process.StopGracefullyAsync(TimeSpan.FromSeconds(45));

    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGSTOP or SIGCONT.</summary>
    public void Freeze(bool freeze) => _process.Freeze(freeze);

    /// <summary>Waits for the silo to exit by itself; false when it still runs after <paramref name="timeout"/>.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
