using System.Text;
using System.Text.RegularExpressions;
using ReliableRpc.Tests.Deploy;
using YamlDotNet.RepresentationModel;

namespace ReliableRpc.Tests.System.DeployPaths;

/// <summary>
/// The containers of a rendered overlay's pod templates, resolved as the kubelet would: ConfigMap and Secret keys,
/// the downward API (through <see cref="LocalSubstitutions"/>), <c>$(VAR)</c> references, and the pod's volumes.
/// </summary>
internal static partial class KubernetesContainers
{
    private static readonly HashSet<string> KnownEnvKeys = ["name", "value", "valueFrom"];
    private static readonly HashSet<string> KnownContainerKeys =
    [
        "name", "image", "imagePullPolicy", "ports", "env", "args", "startupProbe", "livenessProbe", "readinessProbe", "resources", "securityContext", "volumeMounts",
    ];

    /// <summary>
    /// The containers under <paramref name="section"/> ("containers", "initContainers") of replica
    /// <paramref name="replica"/> of <paramref name="owner"/>. <paramref name="podFolders"/> holds the pod's emptyDir and
    /// claim folders, shared by its containers.
    /// </summary>
    public static IReadOnlyList<ContainerSpec> Read(IReadOnlyList<YamlMappingNode> objects, YamlMappingNode owner, string section, int replica,
        LocalSubstitutions local, Dictionary<string, string> podFolders)
    {
        var name = owner.Path("metadata").Str("name")!;
        var @namespace = owner.Path("metadata").Str("namespace")!;
        var pod = owner.Path("spec.template.spec");
        var claims = owner.Path("spec").Items("volumeClaimTemplates").Select(c => c.Path("metadata").Str("name")!).ToHashSet();
        var result = new List<ContainerSpec>();
        foreach (var container in pod.Items(section))
        {
            var where = $"{owner.Str("kind")}/{name}[{replica}]/{container.Str("name")}";
            var unknown = container.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).Where(k => !KnownContainerKeys.Contains(k)).ToArray();
            Assert.True(unknown.Length == 0, $"{where}: {string.Join(", ", unknown)} not in the substitution list (command and envFrom included)");

            var image = container.Str("image")!;
            var environment = new Dictionary<string, string>(ImageEnvironment(image));
            foreach (var variable in container.Items("env"))
            {
                var key = variable.Str("name")!;
                Assert.True(variable.Children.Keys.OfType<YamlScalarNode>().All(k => KnownEnvKeys.Contains(k.Value!)), $"{where}: env {key} has a field not in the substitution list");
                environment[key] = variable.Has("valueFrom")
                    ? ValueFrom(objects, variable.Path("valueFrom"), where, key, name, @namespace, replica)
                    : Expand(variable.Str("value") ?? "", environment);
            }

            var mounts = new Dictionary<string, string>();
            foreach (var mount in container.Items("volumeMounts"))
            {
                var volumeName = mount.Str("name")!;
                Assert.False(mount.Has("subPath"), $"{where}: subPath mounts are not in the substitution list");
                mounts[mount.Str("mountPath")!] = Folder(pod, claims, volumeName, where, local, podFolders);
            }

            var command = container.Scalars("args").Select(a => Expand(a, environment)).ToArray();
            result.Add(new ContainerSpec(where, image, command, environment, mounts));
        }

        return result;
    }

    /// <summary>The ENV of the Dockerfile target an image of ours is built from; none for other images.</summary>
    public static IReadOnlyDictionary<string, string> ImageEnvironment(string image) =>
        DeployFiles.Repository(image) is var repository && repository.StartsWith("reliablerpc/", StringComparison.Ordinal)
            ? DeployFiles.DockerfileEnvironment(repository["reliablerpc/".Length..])
            : new Dictionary<string, string>();

    private static string ValueFrom(IReadOnlyList<YamlMappingNode> objects, YamlMappingNode from, string where, string key, string owner, string @namespace, int replica)
    {
        if (from.Has("configMapKeyRef"))
        {
            var reference = from.Path("configMapKeyRef");
            return DeployFiles.Object(objects, "ConfigMap", reference.Str("name")!).Path("data").Str(reference.Str("key")!)
                ?? throw new Xunit.Sdk.XunitException($"{where}: env {key}: ConfigMap {reference.Str("name")} has no key {reference.Str("key")}");
        }

        if (from.Has("secretKeyRef"))
        {
            // Only Secrets the overlay itself makes (its secretGenerator): any other would have to exist in the cluster.
            var reference = from.Path("secretKeyRef");
            var secret = DeployFiles.Object(objects, "Secret", reference.Str("name")!);
            return Encoding.UTF8.GetString(Convert.FromBase64String(secret.Path("data").Str(reference.Str("key")!)!));
        }

        if (from.Has("fieldRef"))
        {
            return LocalSubstitutions.DownwardApi(from.Path("fieldRef").Str("fieldPath")!, owner, @namespace, replica);
        }

        throw new Xunit.Sdk.XunitException($"{where}: env {key} comes from {from}, which is not in the substitution list");
    }

    private static string Folder(YamlMappingNode pod, HashSet<string> claims, string volumeName, string where, LocalSubstitutions local, Dictionary<string, string> podFolders)
    {
        if (claims.Contains(volumeName))
        {
            return podFolders.TryGetValue(volumeName, out var claim) ? claim : podFolders[volumeName] = local.NewFolder(volumeName);
        }

        var volume = pod.Items("volumes").SingleOrDefault(v => v.Str("name") == volumeName)
            ?? throw new Xunit.Sdk.XunitException($"{where}: mounts the volume {volumeName}, which the pod does not define");
        if (volume.Has("secret"))
        {
            // A Secret's files as they are: a volume that picks or renames keys (items), or may be missing (optional), is
            // not in the substitution list.
            var unknown = volume.Path("secret").Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).Except(["secretName", "defaultMode"]).ToArray();
            Assert.True(unknown.Length == 0, $"{where}: the Secret volume {volumeName} sets {string.Join(", ", unknown)}, which is not in the substitution list");
            var secret = volume.Path("secret").Str("secretName")!;
            return local.Secrets.TryGetValue(secret, out var folder)
                ? folder
                : throw new Xunit.Sdk.XunitException($"{where}: mounts the Secret {secret}, which nothing made (the certs Job makes {string.Join(", ", local.Secrets.Keys)})");
        }

        if (volume.Has("emptyDir"))
        {
            return podFolders.TryGetValue(volumeName, out var folder) ? folder : podFolders[volumeName] = local.NewFolder(volumeName);
        }

        throw new Xunit.Sdk.XunitException($"{where}: the volume {volume} is of a kind not in the substitution list");
    }

    /// <summary>
    /// Kubernetes' expansion: <c>$(NAME)</c> of a variable defined earlier in the list is replaced, <c>$$</c> is a
    /// literal <c>$</c>, and any other reference is left as written (<see cref="LocalSubstitutions"/> then fails on it).
    /// </summary>
    private static string Expand(string value, IReadOnlyDictionary<string, string> defined) =>
        Reference().Replace(value, m => m.Value == "$$" ? "$" : defined.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"\$\$|\$\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
