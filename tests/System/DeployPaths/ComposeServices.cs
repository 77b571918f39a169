using System.Text.RegularExpressions;
using ReliableRpc.Tests.Deploy;
using YamlDotNet.RepresentationModel;

namespace ReliableRpc.Tests.System.DeployPaths;

/// <summary>
/// The services of deploy/docker/compose.yaml, resolved as Docker Compose would: <c>${VAR}</c> interpolation from the
/// given variables, the image's ENV under the service's environment, and named volumes (with subpaths) as folders.
/// </summary>
internal static partial class ComposeServices
{
    private static readonly HashSet<string> KnownKeys =
        ["image", "build", "depends_on", "stop_grace_period", "environment", "volumes", "command", "networks", "ports", "user"];

    /// <summary>The service <paramref name="service"/>; <paramref name="volumes"/> maps named volumes to folders, made on first use.</summary>
    public static ContainerSpec Read(YamlMappingNode compose, string service, IReadOnlyDictionary<string, string> variables, LocalSubstitutions local, Dictionary<string, string> volumes)
    {
        var where = $"compose/{service}";
        var node = compose.Path($"services.{service}");
        var unknown = node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).Where(k => !KnownKeys.Contains(k)).ToArray();
        Assert.True(unknown.Length == 0, $"{where}: {string.Join(", ", unknown)} not in the substitution list (entrypoint, env_file, secrets and configs included)");

        var image = node.Str("image")!;
        var environment = new Dictionary<string, string>(KubernetesContainers.ImageEnvironment(image));
        if (node.Has("environment"))
        {
            foreach (var (key, value) in node.Path("environment").Children)
            {
                environment[((YamlScalarNode)key).Value!] = Interpolate(((YamlScalarNode)value).Value ?? "", variables, where);
            }
        }

        var mounts = new Dictionary<string, string>();
        if (node.Children.TryGetValue(new YamlScalarNode("volumes"), out var list))
        {
            foreach (var entry in ((YamlSequenceNode)list).Children)
            {
                var (source, target, subpath) = entry switch
                {
                    YamlScalarNode { Value: { } text } when text.Split(':') is [var s, var t, ..] && !s.StartsWith('.') && !s.StartsWith('/') => (s, t, (string?)null),
                    YamlMappingNode { } m when m.Str("type") == "volume" => (m.Str("source")!, m.Str("target")!, m.Has("volume") ? m.Path("volume").Str("subpath") : null),
                    _ => throw new Xunit.Sdk.XunitException($"{where}: the mount {entry} is not a named volume, the only kind in the substitution list"),
                };
                Assert.True(compose.Path("volumes").Has(source), $"{where}: the volume {source} is not declared under volumes:");
                var folder = volumes.TryGetValue(source, out var made) ? made : volumes[source] = local.NewFolder(source);
                mounts[target] = subpath is null ? folder : Path.Combine(folder, subpath);
            }
        }

        var command = node.Scalars("command").Select(c => Interpolate(c, variables, where)).ToArray();
        return new ContainerSpec(where, image, command, environment, mounts);
    }

    /// <summary>Compose's <c>${NAME}</c>, <c>${NAME:-default}</c> and <c>${NAME:?message}</c>; <c>$$</c> is a literal <c>$</c>.</summary>
    public static string Interpolate(string value, IReadOnlyDictionary<string, string> variables, string where) =>
        Variable().Replace(value, m =>
        {
            if (m.Value == "$$")
            {
                return "$";
            }

            var name = m.Groups["name"].Value;
            var set = variables.TryGetValue(name, out var v) && v.Length > 0;
            return m.Groups["op"].Value switch
            {
                ":-" => set ? v! : m.Groups["arg"].Value,
                ":?" => set ? v! : throw new Xunit.Sdk.XunitException($"{where}: ${{{name}}} is required ({m.Groups["arg"].Value}) and the test does not set it"),
                "" => set ? v! : throw new Xunit.Sdk.XunitException($"{where}: ${{{name}}} is not set by the test"),
                var op => throw new Xunit.Sdk.XunitException($"{where}: the interpolation {op} is not handled"),
            };
        });

    [GeneratedRegex(@"\$\$|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?+])(?<arg>[^}]*))?\}")]
    private static partial Regex Variable();
}
