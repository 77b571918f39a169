namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>
/// A real redis-server on a free loopback port, without persistence, stopped on dispose. It asks for a password
/// (requirepass in a mode-600 config file, not on its command line), as the local cluster's does.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private RedisServer(ChildProcess process, int port, string password)
    {
        _process = process;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string Password { get; }

    /// <summary>The endpoint alone, as a silo's command line has it (the password goes through its environment).</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>With the password, for the tests' own connections.</summary>
    public string AuthenticatedConnectionString => $"127.0.0.1:{Port},password={Password}";

    public static async Task<RedisServer> StartAsync()
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
        var process = new ChildProcess($"redis:{port}", executable,
            [config, "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        try
        {
            await process.WaitForOutputAsync("Ready to accept connections", TimeSpan.FromSeconds(10));
        }
        finally
        {
            File.Delete(config);
        }

        return new RedisServer(process, port, password);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
