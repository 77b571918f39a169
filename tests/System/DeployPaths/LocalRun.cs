using System.Diagnostics;
using ReliableRpc.Tests.Deploy;
using ReliableRpc.Tests.System.Infrastructure;

namespace ReliableRpc.Tests.System.DeployPaths;

/// <summary>
/// The processes that stand in for a deploy file's containers, in one scratch folder; every one is stopped and the
/// folder removed on dispose.
/// </summary>
internal sealed class LocalRun : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];

    public string Root { get; } = Directory.CreateTempSubdirectory("reliablerpc-deploy-").FullName;

    /// <summary>Starts <paramref name="spec"/>'s process (see <see cref="LocalSubstitutions"/> for what each image is here).</summary>
    public async Task<ChildProcess> StartAsync(ContainerSpec spec, string? readyText = null)
    {
        var published = await PublishedApps.Directory.Value;
        var (file, arguments) = DeployFiles.Repository(spec.Image) switch
        {
            "reliablerpc/silo" => ("dotnet", (string[])[Path.Combine(published, "silo", "ReliableRpc.Silo.dll"), .. spec.Command]),
            "reliablerpc/client" => ("dotnet", [Path.Combine(published, "client", "ReliableRpc.Client.dll"), .. spec.Command]),
            "redis" => (RedisServer.FindOnPath("redis-server") ?? throw new InvalidOperationException("redis-server is not installed: run deploy/test.sh (it installs it)"),
                [.. spec.Command.SkipWhile(a => a == "redis-server"), "--bind", "127.0.0.1"]),
            _ => throw new Xunit.Sdk.XunitException($"{spec.Name}: the image {spec.Image} is not in the substitution list"),
        };
        var process = new ChildProcess(spec.Name, file, arguments, spec.Environment);
        _processes.Add(process);
        if (readyText is not null)
        {
            await process.WaitForOutputAsync(readyText, TimeSpan.FromSeconds(90));
        }

        return process;
    }

    /// <summary>Runs <paramref name="spec"/> to its end and returns it; fails naming its output when it does not end in time.</summary>
    public async Task<ChildProcess> RunToEndAsync(ContainerSpec spec, TimeSpan timeout)
    {
        var process = await StartAsync(spec);
        Assert.True(await process.WaitForExitAsync(timeout), $"{spec.Name} still runs after {timeout.TotalSeconds:0} s:\n{process.Tail()}");
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process that has just been killed may still hold a file for a moment; the folder is in the temp dir.
        }
    }
}

/// <summary>
/// Silo and Client published as the images carry them (deploy/docker/publish.sh). deploy/test.sh publishes them
/// before the tests and passes the folder in RELIABLERPC_PUBLISH_DIR; run alone, the tests publish once themselves.
/// </summary>
internal static class PublishedApps
{
    public static readonly Lazy<Task<string>> Directory = new(PublishAsync);

    private static async Task<string> PublishAsync()
    {
        if (Environment.GetEnvironmentVariable("RELIABLERPC_PUBLISH_DIR") is { Length: > 0 } given
            && File.Exists(Path.Combine(given, "silo", "ReliableRpc.Silo.dll")) && File.Exists(Path.Combine(given, "client", "ReliableRpc.Client.dll")))
        {
            return given;
        }

        var output = global::System.IO.Directory.CreateTempSubdirectory("reliablerpc-publish-").FullName;
        await using var publish = new ChildProcess("publish", "bash", [Path.Combine(RepositoryPaths.Root, "deploy", "docker", "publish.sh"), output]);
        Assert.True(await publish.WaitForExitAsync(TimeSpan.FromMinutes(5)) && publish.ExitCode == 0, $"deploy/docker/publish.sh failed:\n{publish.Tail()}");
        return output;
    }
}
