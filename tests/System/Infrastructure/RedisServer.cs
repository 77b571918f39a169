namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>
/// A real redis-server on a free loopback port, without persistence, stopped on dispose. It asks for a password
/// (requirepass in a mode-600 config file, not on its command line), as the local cluster's does.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private RedisServer(ChildProcess process, int port, string password, CertificateSet? tls)
    {
        _process = process;
        Port = port;
        Password = password;
        Tls = tls;
    }

    public int Port { get; }

    public string Password { get; }

    /// <summary>The certificates it speaks TLS with (its own is a silo's; clients must show one); null for plain TCP.</summary>
    public CertificateSet? Tls { get; }

    /// <summary>The endpoint alone, as a silo's command line has it (the password goes through its environment).</summary>
    public string ConnectionString => Tls is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},ssl=true";

    /// <summary>With the password, for the tests' own connections (plain TCP only).</summary>
    public string AuthenticatedConnectionString => $"127.0.0.1:{Port},password={Password}";

    /// <param name="tls">When set, only TLS is served (tls-port), with a client certificate required, as the local cluster's Redis does.</param>
    public static async Task<RedisServer> StartAsync(CertificateSet? tls = null)
    {
        var executable = FindOnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: run deploy/test.sh (it installs it) or 'apt-get install -y redis-server'");
        var port = FreePorts.Next();
        var password = Convert.ToHexString(global::System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var config = Path.Combine(Path.GetTempPath(), $"reliablerpc-redis-{port}-{Guid.NewGuid():N}.conf");
        File.WriteAllText(config, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(config, $"requirepass {password}\n");
        string[] listen = tls is null
            ? ["--port", port.ToString()]
            : ["--port", "0", "--tls-port", port.ToString(), "--tls-cert-file", Path.Combine(tls.Directory, "silo.pem"),
               "--tls-key-file", Path.Combine(tls.Directory, "silo.key"), "--tls-ca-cert-file", tls.Ca, "--tls-auth-clients", "yes"];
        var process = new ChildProcess($"redis:{port}", executable, [config, .. listen, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        try
        {
            await process.WaitForOutputAsync("Ready to accept connections", TimeSpan.FromSeconds(10));
        }
        finally
        {
            File.Delete(config);
        }

        return new RedisServer(process, port, password, tls);
    }

    /// <summary>SIGSTOP (<paramref name="freeze"/>) or SIGCONT: Redis stops answering without closing a connection.</summary>
    public void Freeze(bool freeze) => _process.Freeze(freeze);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
