namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>
/// A real redis-server on a free loopback port, without persistence, stopped on dispose. It asks for a password
/// (requirepass in a mode-600 config file, not on its command line), as the local cluster's does.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string[] _arguments;
    private readonly string _executable;
    private ChildProcess _process;

    private RedisServer(ChildProcess process, string executable, string[] arguments, int port, string password, CertificateSet? tls, string? dataDirectory)
    {
        _process = process;
        _executable = executable;
        _arguments = arguments;
        Port = port;
        Password = password;
        Tls = tls;
        DataDirectory = dataDirectory;
    }

    /// <summary>Where a durable server keeps its append-only file; null when nothing is kept.</summary>
    public string? DataDirectory { get; }

    public int Port { get; }

    public string Password { get; }

    /// <summary>The certificates it speaks TLS with (its own is a silo's; clients must show one); null for plain TCP.</summary>
    public CertificateSet? Tls { get; }

    /// <summary>The endpoint alone, as a silo's command line has it (the password goes through its environment).</summary>
    public string ConnectionString => Tls is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},ssl=true";

    /// <summary>With the password, for the tests' own connections (plain TCP only).</summary>
    public string AuthenticatedConnectionString => $"127.0.0.1:{Port},password={Password}";

    /// <param name="tls">When set, only TLS is served (tls-port), with a client certificate required, as the local cluster's Redis does.</param>
    /// <param name="durable">
    /// Every write is in the append-only file before Redis answers (appendfsync always), so a kill -9 loses nothing
    /// acknowledged and <see cref="RestartAsync"/> brings it all back. Otherwise nothing is kept.
    /// </param>
    public static async Task<RedisServer> StartAsync(CertificateSet? tls = null, bool durable = false)
    {
        var executable = FindOnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: run deploy/test.sh (it installs it) or 'apt-get install -y redis-server'");
        var port = FreePorts.Next();
        var password = Convert.ToHexString(global::System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        string[] listen = tls is null
            ? ["--port", port.ToString()]
            : ["--port", "0", "--tls-port", port.ToString(), "--tls-cert-file", Path.Combine(tls.Directory, "silo.pem"),
               "--tls-key-file", Path.Combine(tls.Directory, "silo.key"), "--tls-ca-cert-file", tls.Ca, "--tls-auth-clients", "yes"];
        var data = durable ? Directory.CreateTempSubdirectory("reliablerpc-redis-data-").FullName : null;
        string[] persistence = data is null
            ? ["--save", "", "--appendonly", "no"]
            : ["--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", data];
        string[] arguments = [.. listen, "--bind", "127.0.0.1", .. persistence];
        var process = await LaunchAsync(executable, arguments, port, password);
        return new RedisServer(process, executable, arguments, port, password, tls, data);
    }

    /// <summary>SIGKILL: Redis stops at once, mid-command, as in a crash.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>Starts the server again on the same port, password and data after <see cref="KillAsync"/>; returns once it answers.</summary>
    public async Task RestartAsync()
    {
        await _process.DisposeAsync();
        _process = await LaunchAsync(_executable, _arguments, Port, Password);
    }

    private static async Task<ChildProcess> LaunchAsync(string executable, string[] arguments, int port, string password)
    {
        var config = Path.Combine(Path.GetTempPath(), $"reliablerpc-redis-{port}-{Guid.NewGuid():N}.conf");
        File.WriteAllText(config, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(config, $"requirepass {password}\n");
        var process = new ChildProcess($"redis:{port}", executable, [config, .. arguments]);
        try
        {
            await process.WaitForOutputAsync("Ready to accept connections", TimeSpan.FromSeconds(30));
        }
        finally
        {
            File.Delete(config);
        }

        return process;
    }

    /// <summary>SIGSTOP (<paramref name="freeze"/>) or SIGCONT: Redis stops answering without closing a connection.</summary>
    public void Freeze(bool freeze) => _process.Freeze(freeze);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        if (DataDirectory is not null)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
