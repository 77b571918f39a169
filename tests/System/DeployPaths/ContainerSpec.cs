namespace ReliableRpc.Tests.System.DeployPaths;

/// <summary>
/// One container as a deploy file describes it, resolved the way its runtime would: the image, the command line
/// (entrypoint override and arguments), the environment with every reference expanded, and each mount's path.
/// </summary>
/// <param name="Name">Where it came from, for messages: "Deployment/reliablerpc-silo[1]/silo", "compose/silo2".</param>
/// <param name="Image">The image reference as written.</param>
/// <param name="Command">The arguments after the image's entrypoint (a compose command, or a container's args).</param>
/// <param name="Environment">The image's ENV, then the file's own variables.</param>
/// <param name="Mounts">Mount path in the container → the volume's folder on this machine.</param>
internal sealed record ContainerSpec(
    string Name,
    string Image,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> Mounts);
