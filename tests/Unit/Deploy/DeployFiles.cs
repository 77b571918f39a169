using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ReliableRpc.Tests.Unit.Deploy;

/// <summary>
/// The files under deploy/ as the tests read them: the Kubernetes objects of the local overlay (rendered by
/// <c>kubectl kustomize</c> when kubectl is installed, else the base's files as written), the compose file and the
/// Dockerfile's targets.
/// </summary>
internal static partial class DeployFiles
{
    public static readonly string Deploy = Path.Combine(RepositoryRoot.Path, "deploy");

    /// <summary>Every Kubernetes object, rendered once per test run.</summary>
    public static IReadOnlyList<YamlMappingNode> Kubernetes => LazyKubernetes.Value;

    /// <summary>Whether <see cref="Kubernetes"/> came from kubectl kustomize (overlay applied) or from the base's files.</summary>
    public static bool Rendered { get; private set; }

    private static readonly Lazy<IReadOnlyList<YamlMappingNode>> LazyKubernetes = new(LoadKubernetes);

    /// <summary>The one object of this kind and name.</summary>
    public static YamlMappingNode Object(string kind, string name) =>
        Kubernetes.Single(o => o.Str("kind") == kind && o.Path("metadata").Str("name") == name);

    /// <summary>The compose file's root.</summary>
    public static YamlMappingNode Compose() => Parse(File.ReadAllText(Path.Combine(Deploy, "docker", "compose.yaml"))).Single();

    /// <summary>The Dockerfile's stages that make images (all but "build").</summary>
    public static IReadOnlyList<string> DockerTargets() =>
        FromAs().Matches(File.ReadAllText(Path.Combine(Deploy, "docker", "Dockerfile")))
            .Select(m => m.Groups["name"].Value)
            .Where(name => name != "build")
            .ToArray();

    /// <summary>The repository part of an image reference: "reliablerpc/silo:dev" → "reliablerpc/silo".</summary>
    public static string Repository(string image) => image.Split('@')[0] is var noDigest && noDigest.LastIndexOf(':') > noDigest.LastIndexOf('/')
        ? noDigest[..noDigest.LastIndexOf(':')]
        : noDigest;

    public static IReadOnlyList<YamlMappingNode> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var roots = stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToArray();
        foreach (var root in roots)
        {
            ResolveMergeKeys(root);
        }

        return roots;
    }

    /// <summary>
    /// Applies YAML merge keys ("&lt;&lt;: *silo" in the compose file) as compose does: the merged mapping's entries
    /// are added where the mapping has no key of its own. (YamlDotNet's MergingParser rejects such overrides.)
    /// </summary>
    private static void ResolveMergeKeys(YamlNode node)
    {
        if (node is YamlSequenceNode sequence)
        {
            foreach (var child in sequence.Children)
            {
                ResolveMergeKeys(child);
            }
        }

        if (node is not YamlMappingNode mapping)
        {
            return;
        }

        var merge = new YamlScalarNode("<<");
        if (mapping.Children.TryGetValue(merge, out var merged) && merged is YamlMappingNode source)
        {
            mapping.Children.Remove(merge);
            ResolveMergeKeys(source);
            foreach (var (key, value) in source.Children.Where(entry => !mapping.Children.ContainsKey(entry.Key)).ToArray())
            {
                mapping.Children.Add(key, value);
            }
        }

        foreach (var child in mapping.Children.Values.ToArray())
        {
            ResolveMergeKeys(child);
        }
    }

    private static IReadOnlyList<YamlMappingNode> LoadKubernetes()
    {
        if (Kustomize() is { } rendered)
        {
            Rendered = true;
            return Parse(rendered);
        }

        return Directory.GetFiles(Path.Combine(Deploy, "k8s", "base"), "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => Parse(File.ReadAllText(f)))
            .ToArray();
    }

    /// <summary>
    /// The local overlay rendered by kubectl, or null when kubectl is not installed. Rendered from a copy, with a
    /// stand-in password file: the real one is not committed.
    /// </summary>
    private static string? Kustomize()
    {
        var copy = Directory.CreateTempSubdirectory("reliablerpc-k8s-");
        try
        {
            CopyTree(Path.Combine(Deploy, "k8s"), copy.FullName);
            File.WriteAllText(Path.Combine(copy.FullName, "overlays", "local", "redis-password.txt"), "stand-in");
            var start = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(copy.FullName, "overlays", "local")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }

            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(60_000))
                {
                    process.Kill();
                    throw new TimeoutException("kubectl kustomize did not finish in 60 s");
                }

                return process.ExitCode == 0
                    ? output.Result
                    : throw new InvalidOperationException($"kubectl kustomize deploy/k8s/overlays/local failed:\n{error.Result}");
            }
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [GeneratedRegex(@"^FROM\s+\S+\s+AS\s+(?<name>[a-z0-9_-]+)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex FromAs();
}
