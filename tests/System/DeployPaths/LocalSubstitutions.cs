using System.Text.RegularExpressions;
using ReliableRpc.Tests.Deploy;

namespace ReliableRpc.Tests.System.DeployPaths;

/// <summary>
/// Everything a container's description must change to run as a process on this machine, and nothing else. Images
/// cannot be pulled here, so <see cref="DeployPathTests"/> starts the published Silo and Client (and the machine's
/// redis-server) with what the compose file and the manifests give each container, changed only by this list:
/// <list type="number">
/// <item>Images: <c>reliablerpc/silo</c> and <c>reliablerpc/client</c> are <c>dotnet</c> and the published DLL, started
/// with the Dockerfile target's ENV; <c>redis</c> is the machine's <c>redis-server</c>; a kubectl container's
/// <c>create secret generic NAME --from-file=DIR</c> makes DIR the Secret NAME. Any other image fails.</item>
/// <item>Service names: the Redis service's host and port (<c>reliablerpc-redis:6379</c>, <c>redis:6379</c>) are
/// 127.0.0.1 and a free port, which Redis's <c>--port</c>/<c>--tls-port</c> listens on.</item>
/// <item>Listening ports: replicas share one spec, so each process gets free ports for
/// <see cref="PortVariables"/>.</item>
/// <item>Addresses: the variables in <see cref="LoopbackVariables"/> are 127.0.0.1 (a silo advertises it; HTTP and
/// Redis listen only on loopback, not on every interface of a shared machine).</item>
/// <item>The downward API: <c>metadata.name</c> is the owner's name and the replica's index, <c>metadata.namespace</c>
/// the overlay's namespace, <c>status.podIP</c> 127.0.0.1.</item>
/// <item><c>RELIABLERPC_Silo__KubernetesHosting</c> is false: Orleans' Kubernetes hosting calls the Kubernetes API at
/// start.</item>
/// <item>Mounts: each mount path is a folder here (a Secret's is the folder the certs step made for it; an emptyDir, a
/// claim or a named volume is a fresh one), and every variable and argument under a mount path points into it.</item>
/// <item>The load's <c>--duration</c> is <see cref="LoadDuration"/>.</item>
/// </list>
/// Whatever the list does not cover fails the test: a variable source, volume kind or image it does not know, a
/// reference left unexpanded, an absolute path outside every mount. Not modelled: users, groups and file modes
/// (<c>securityContext</c>, <c>fsGroup</c>, <c>defaultMode</c>, compose's <c>user</c>): every process runs as the
/// test's user and owns every file, so a permission mistake in the files does not show here.
/// </summary>
internal sealed partial class LocalSubstitutions(string root)
{
    /// <summary>The variables that set a port the process listens on.</summary>
    public static readonly IReadOnlySet<string> PortVariables = new HashSet<string>
    {
        "RELIABLERPC_Silo__SiloPort", "RELIABLERPC_Silo__GatewayPort", "RELIABLERPC_Http__Port", "RELIABLERPC_Dashboard__Port",
    };

    /// <summary>The variables that hold an address to listen on or advertise.</summary>
    public static readonly IReadOnlySet<string> LoopbackVariables = new HashSet<string>
    {
        "RELIABLERPC_Silo__AdvertisedIp", "RELIABLERPC_Http__BindAddress",
    };

    /// <summary>How long the load runs, instead of the file's 10 minutes or 1 hour.</summary>
    public const string LoadDuration = "10s";

    private int _folders;

    /// <summary>The free port behind the Redis service.</summary>
    public int RedisPort { get; } = FreePorts.Next();

    /// <summary>The Redis service's host:port as the files write it (compose: "redis:6379").</summary>
    public required IReadOnlyList<string> RedisEndpoints { get; init; }

    /// <summary>A Secret's name → the folder holding its files.</summary>
    public Dictionary<string, string> Secrets { get; } = [];

    /// <summary>A fresh folder for a volume.</summary>
    public string NewFolder(string name)
    {
        var folder = Path.Combine(root, $"{Interlocked.Increment(ref _folders):00}-{name}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The value of a downward-API field of replica <paramref name="replica"/> of <paramref name="owner"/>.</summary>
    public static string DownwardApi(string fieldPath, string owner, string @namespace, int replica) => fieldPath switch
    {
        "metadata.name" => $"{owner}-{replica}",
        "metadata.namespace" => @namespace,
        "status.podIP" => "127.0.0.1",
        _ => throw new Xunit.Sdk.XunitException($"{owner}: the downward-API field {fieldPath} is not in the substitution list"),
    };

    /// <summary>Applies the list to a container's environment and arguments; fails on what it does not cover.</summary>
    public ContainerSpec Apply(ContainerSpec spec, IDictionary<string, int> ports)
    {
        var environment = new Dictionary<string, string>();
        foreach (var (name, value) in spec.Environment)
        {
            environment[name] = name switch
            {
                _ when PortVariables.Contains(name) => (ports.TryGetValue(name, out var port) ? port : ports[name] = FreePorts.Next()).ToString(),
                _ when LoopbackVariables.Contains(name) => "127.0.0.1",
                "RELIABLERPC_Silo__KubernetesHosting" => "false",
                _ => Local(spec, $"variable {name}", value),
            };
        }

        var command = spec.Command.Select((argument, i) => Local(spec, "argument", argument)).ToList();
        for (var i = 0; i + 1 < command.Count; i++)
        {
            if (command[i] is "--port" or "--tls-port" && command[i + 1] != "0")
            {
                command[i + 1] = RedisPort.ToString();
            }
            else if (command[i] == "--duration")
            {
                command[i + 1] = LoadDuration;
            }
        }

        return spec with { Command = command, Environment = environment };
    }

    /// <summary>
    /// A kubectl container of the certs Job: <c>create secret generic NAME --from-file=DIR</c> makes the Secret NAME
    /// from the files of DIR, so here NAME is DIR's folder. Any other kubectl command fails.
    /// </summary>
    public void CreateSecret(ContainerSpec spec)
    {
        Assert.True(DeployFiles.Repository(spec.Image).EndsWith("/kubectl", StringComparison.Ordinal), $"{spec.Name}: the image {spec.Image} is not in the substitution list");
        Assert.True(spec.Command is ["create", "secret", "generic", _, var from] && from.StartsWith("--from-file=", StringComparison.Ordinal),
            $"{spec.Name}: only 'kubectl create secret generic NAME --from-file=DIR' is in the substitution list, not '{string.Join(' ', spec.Command)}'");
        var folder = Local(spec, "argument", spec.Command[4]["--from-file=".Length..]);
        Assert.True(Directory.Exists(folder), $"{spec.Name}: {spec.Command[4]} was not made by the steps before it");
        Secrets[spec.Command[3]] = folder;
    }

    private string Local(ContainerSpec spec, string what, string value)
    {
        if (UnexpandedReference().Match(value) is { Success: true } reference)
        {
            throw new Xunit.Sdk.XunitException($"{spec.Name}: {what} '{value}' keeps the reference {reference.Value}, which nothing defines");
        }

        foreach (var endpoint in RedisEndpoints)
        {
            value = value.Replace(endpoint, $"127.0.0.1:{RedisPort}", StringComparison.Ordinal);
        }

        if (!value.StartsWith('/'))
        {
            return value;
        }

        var mount = spec.Mounts.Keys.OrderByDescending(m => m.Length).FirstOrDefault(m => value == m || value.StartsWith(m + "/", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"{spec.Name}: {what} '{value}' is a path outside every mount ({string.Join(", ", spec.Mounts.Keys)}): the image has no such file");
        return spec.Mounts[mount] + value[mount.Length..];
    }

    [GeneratedRegex(@"\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[^}]*\}")]
    private static partial Regex UnexpandedReference();
}
