using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ReliableRpc.Tests.Deploy;

/// <summary>
/// The files under deploy/ as the tests read them: the Kubernetes objects of an overlay as <c>kubectl kustomize</c>
/// renders them (kubectl is required: deploy/test.sh installs it), the compose file and the Dockerfile's targets and
/// environment. Shared by the unit tests (the files' invariants) and the system tests (starting what they describe).
/// </summary>
internal static partial class DeployFiles
{
    public static readonly string Deploy = Path.Combine(RepositoryRoot.Path, "deploy");

    /// <summary>The overlay that uses cert-manager for its certificates.</summary>
    public const string LocalOverlay = "local";

    /// <summary>The overlay whose certificates a one-shot Job makes with the client's <c>certs</c> command.</summary>
    public const string CertsJobOverlay = "local-certs-job";

    /// <summary>Every Kubernetes object of the local overlay, rendered once per test run.</summary>
    public static IReadOnlyList<YamlMappingNode> Kubernetes => LazyKubernetes.Value;

    private static readonly Lazy<IReadOnlyList<YamlMappingNode>> LazyKubernetes = new(() => Render(LocalOverlay));

    /// <summary>The one object of this kind and name in the local overlay.</summary>
    public static YamlMappingNode Object(string kind, string name) => Object(Kubernetes, kind, name);

    /// <summary>The one object of this kind and name.</summary>
    public static YamlMappingNode Object(IEnumerable<YamlMappingNode> objects, string kind, string name) =>
        objects.Single(o => o.Str("kind") == kind && o.Path("metadata").Str("name") == name);

    /// <summary>The objects of deploy/k8s/overlays/<paramref name="overlay"/>, as <c>kubectl kustomize</c> renders them.</summary>
    public static IReadOnlyList<YamlMappingNode> Render(string overlay) => Parse(Kustomize(overlay));

    /// <summary>
    /// The environment a Dockerfile stage's image sets (its ENV lines), which a container of that image starts with
    /// before the compose file's or the manifest's own variables.
    /// </summary>
    public static IReadOnlyDictionary<string, string> DockerfileEnvironment(string target)
    {
        var lines = File.ReadAllText(Path.Combine(Deploy, "docker", "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n');
        var environment = new Dictionary<string, string>();
        var inTarget = false;
        foreach (var line in lines.Select(l => l.Trim()))
        {
            if (FromAs().Match(line) is { Success: true } from)
            {
                inTarget = from.Groups["name"].Value == target;
            }
            else if (inTarget && line.StartsWith("ENV ", StringComparison.Ordinal))
            {
                foreach (Match pair in EnvPair().Matches(line[4..]))
                {
                    environment[pair.Groups["name"].Value] = pair.Groups["value"].Value;
                }
            }
        }

        return environment;
    }

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

    /// <summary>
    /// An overlay rendered by kubectl, from a copy with a stand-in password file: the real one is not committed.
    /// </summary>
    private static string Kustomize(string overlay)
    {
        var copy = Directory.CreateTempSubdirectory("reliablerpc-k8s-");
        try
        {
            CopyTree(Path.Combine(Deploy, "k8s"), copy.FullName);
            File.WriteAllText(Path.Combine(copy.FullName, "overlays", overlay, "redis-password.txt"), "stand-in");
            var start = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(copy.FullName, "overlays", overlay)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (global::System.ComponentModel.Win32Exception)
            {
                throw new InvalidOperationException("kubectl is not installed: run deploy/test.sh (it installs it) or 'apt-get install -y kubectl'");
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
                    : throw new InvalidOperationException($"kubectl kustomize deploy/k8s/overlays/{overlay} failed:\n{error.Result}");
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

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>""[^""]*""|\S*)")]
    private static partial Regex EnvPair();
}
