using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Hosting.Kubernetes;

namespace ReliableRpc.Silo.Hosting;

/// <summary>
/// Orleans' Kubernetes hosting (<c>Silo:KubernetesHosting</c>): the silo takes its name from the pod, advertises the
/// pod's IP, listens on every address, and labels its pod with the cluster and service ids. The silos chosen as agents
/// (two by default) watch the cluster's pods and declare a silo dead as soon as its pod is deleted, rather than
/// after missed probes.
/// </summary>
internal static class KubernetesHosting
{
    /// <summary>The variables the pod spec must set from the downward API (metadata.name, metadata.namespace, status.podIP).</summary>
    public static readonly string[] RequiredVariables =
    [
        KubernetesHostingOptions.PodNameEnvironmentVariable,
        KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
    ];

    /// <summary>Fails the start, naming what is missing, when the silo is not set up to run in a pod.</summary>
    public static void Validate(string? redis)
    {
        var missing = RequiredVariables.Where(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))).ToArray();
        if (missing.Length > 0)
        {
            throw new SiloConfigurationException(
                $"Silo:KubernetesHosting is on, but {string.Join(", ", missing)} {(missing.Length == 1 ? "is" : "are")} not set: set them from the downward API in the pod spec.");
        }

        if (string.IsNullOrWhiteSpace(redis))
        {
            throw new SiloConfigurationException("Silo:KubernetesHosting needs ConnectionStrings:Redis: the embedded default cannot form a cluster of pods.");
        }
    }

    /// <summary>Ports only: the advertised address (POD_IP) and the any-address listeners come from Orleans' Kubernetes hosting.</summary>
    public static void Apply(ISiloBuilder silo, SiloHostOptions options)
    {
        silo.Configure<EndpointOptions>(o =>
        {
            o.SiloPort = options.SiloPort;
            o.GatewayPort = options.GatewayPort;
        });
        silo.UseKubernetesHosting();
    }
}
