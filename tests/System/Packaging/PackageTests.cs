using System.IO.Compression;
using System.Xml.Linq;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Packaging;

/// <summary>
/// Issue 27: the library is a package people install. It packs with its metadata, symbols and analyzers; the sample
/// app (samples/HelloReliable) builds against the package from a local feed, not the projects, and runs one retried
/// call; and the analyzer that rides in the package reports an unmarked grain method in the user's build.
/// </summary>
public sealed class PackageTests(PackedLibrary packed, ITestOutputHelper output) : IClassFixture<PackedLibrary>
{
    private readonly string _version = packed.Version;
    private readonly string _scratch = packed.Scratch;

    private string Feed => packed.Feed;

    [Fact]
    public void ThePackages_CarryTheirMetadata_Symbols_AndTheAnalyzers_AndTlsIsItsOwn()
    {
        using var resilience = ZipFile.OpenRead(Path.Combine(Feed, $"ReliableRpc.Resilience.{_version}.nupkg"));
        var spec = Nuspec(resilience);
        Assert.Equal("ReliableRpc.Resilience", Field(spec, "id"));
        Assert.Equal(_version, Field(spec, "version"));
        Assert.Equal("MIT", Field(spec, "license"));
        Assert.Equal("README.md", Field(spec, "readme"));
        Assert.False(string.IsNullOrWhiteSpace(Field(spec, "description")));
        Assert.StartsWith("https://", spec.Descendants().Single(e => e.Name.LocalName == "repository").Attribute("url")!.Value);
        Assert.NotNull(spec.Descendants().Single(e => e.Name.LocalName == "repository").Attribute("commit"));

        var files = resilience.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net10.0/ReliableRpc.Resilience.dll", files);
        Assert.Contains("lib/net10.0/ReliableRpc.Resilience.xml", files);
        Assert.Contains("analyzers/dotnet/cs/ReliableRpc.Analyzers.dll", files);
        Assert.Contains("analyzers/dotnet/cs/ReliableRpc.Analyzers.CodeFixes.dll", files);
        Assert.Contains("README.md", files);
        Assert.True(File.Exists(Path.Combine(Feed, $"ReliableRpc.Resilience.{_version}.snupkg")), "no symbols package");

        // A user of the pipeline does not pull in Orleans' TLS middleware; the TLS package does.
        Assert.DoesNotContain("Microsoft.Orleans.Connections.Security", Dependencies(spec));
        using var tls = ZipFile.OpenRead(Path.Combine(Feed, $"ReliableRpc.Tls.{_version}.nupkg"));
        var tlsDependencies = Dependencies(Nuspec(tls));
        Assert.Contains("Microsoft.Orleans.Connections.Security", tlsDependencies);
        Assert.Contains("ReliableRpc.Resilience", tlsDependencies);
    }

    [Fact]
    public async Task TheSample_BuildsAgainstThePackage_AndItsFirstCallIsRetried()
    {
        var sample = CopySample("sample");

        var run = await DotnetAsync("run", "--project", Path.Combine(sample, "HelloReliable.csproj"), "-c", "Release", $"-p:ReliableRpcVersion={_version}");

        Assert.Contains("hello, world", run);
        Assert.Contains("the grain ran 2 times for one call", run);
        var assets = await File.ReadAllTextAsync(Path.Combine(sample, "obj", "project.assets.json"));
        Assert.Contains($"\"ReliableRpc.Resilience/{_version}\"", assets); // the package, not a project
    }

    [Fact]
    public async Task TheAnalyzerInThePackage_ReportsAnUnmarkedGrainMethod()
    {
        var scratch = CopySample("unmarked");
        var program = Path.Combine(scratch, "Program.cs");
        var source = await File.ReadAllTextAsync(program);
        var unmarked = source.Replace("    [Idempotent]\n    Task<int> Runs", "    Task<int> Runs", StringComparison.Ordinal);
        Assert.NotEqual(source, unmarked);
        await File.WriteAllTextAsync(program, unmarked);

        var (exitCode, build) = await PackedLibrary.DotnetAsync("build", Path.Combine(scratch, "HelloReliable.csproj"), $"-p:ReliableRpcVersion={_version}");

        Assert.NotEqual(0, exitCode); // warnings are errors in the sample, as in any project that treats them so

        Assert.Contains("RRPC001", build);
        Assert.Contains("'Runs' declares no retry safety", build);
    }

    /// <summary>A copy of samples/HelloReliable whose nuget.config points at this run's feed.</summary>
    private string CopySample(string name)
    {
        var source = Path.Combine(RepositoryPaths.Root, "samples", "HelloReliable");
        var target = Path.Combine(_scratch, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source).Where(f => !f.EndsWith("nuget.config", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(target, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="reliablerpc-test" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        return target;
    }

    private async Task<string> DotnetAsync(params string[] arguments)
    {
        var (exitCode, text) = await PackedLibrary.DotnetAsync(arguments);
        output.WriteLine($"dotnet {string.Join(' ', arguments)} → {exitCode}");
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited {exitCode}:\n{string.Join('\n', text.Split('\n').TakeLast(60))}");
        return text;
    }

    private static XElement Nuspec(ZipArchive package)
    {
        using var stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XElement.Load(stream);
    }

    private static string? Field(XElement spec, string name) => spec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static List<string> Dependencies(XElement spec) =>
        spec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();
}

/// <summary>Packs the library once for the class, at a version of its own (NuGet caches by id and version), and removes it after.</summary>
public sealed class PackedLibrary : IAsyncLifetime
{
    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(4);

    public string Version { get; } = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}{Random.Shared.Next(1000):000}";

    public string Scratch { get; } = Directory.CreateTempSubdirectory("reliablerpc-package-").FullName;

    public string Feed => Path.Combine(Scratch, "feed");

    public async Task InitializeAsync()
    {
        foreach (var project in new[] { "Resilience/ReliableRpc.Resilience.csproj", "Resilience.Tls/ReliableRpc.Tls.csproj" })
        {
            var arguments = new[] { "pack", Path.Combine(RepositoryPaths.Root, project), "-c", "Release", "-o", Feed, $"-p:Version={Version}", "--nologo" };
            var (exitCode, text) = await DotnetAsync(arguments);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"dotnet pack {project} exited {exitCode}:\n{text}");
            }
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Scratch, recursive: true);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "reliablerpc.resilience", "reliablerpc.tls" })
        {
            var cached = Path.Combine(cache, id, Version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs the dotnet CLI to its end; its exit code and output.</summary>
    internal static async Task<(int ExitCode, string Output)> DotnetAsync(params string[] arguments)
    {
        await using var dotnet = new ChildProcess("dotnet", "dotnet", arguments, new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });
        if (!await dotnet.WaitForExitAsync(DotnetTimeout))
        {
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in {DotnetTimeout}:\n{dotnet.Tail()}");
        }

        return (dotnet.ExitCode, dotnet.Output);
    }
}
