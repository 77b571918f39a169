using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ReliableRpc.Silo.Hosting;

/// <summary>How this silo joins its cluster. Bound from the "Silo" configuration section.</summary>
public sealed class SiloHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Silo";

    /// <summary>The cluster id; silos and clients with the same id form one cluster. The default value is "reliablerpc".</summary>
    [Required]
    public string ClusterId { get; set; } = "reliablerpc";

    /// <summary>The service id; stable across deployments (it keys persisted state). The default value is "reliablerpc".</summary>
    [Required]
    public string ServiceId { get; set; } = "reliablerpc";

    /// <summary>The address other silos and clients use to reach this silo. The default value is 127.0.0.1.</summary>
    [Required]
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port. The default value is 11111.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port. The default value is 30000.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>How long a graceful stop may take before the host gives up. The default value is 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs the silo as a Kubernetes pod with Orleans' Kubernetes hosting: needs POD_NAME, POD_NAMESPACE and POD_IP from
    /// the downward API, and a service account allowed to read, watch and label pods. <see cref="AdvertisedIp"/> is
    /// then ignored (the pod's IP is advertised). The default value is false.
    /// </summary>
    public bool KubernetesHosting { get; set; }

    /// <summary>Parses <see cref="AdvertisedIp"/>, naming the setting when it is not an address.</summary>
    public IPAddress ParseAdvertisedIp() =>
        IPAddress.TryParse(AdvertisedIp, out var address)
            ? address
            : throw new SiloConfigurationException($"Silo:AdvertisedIp '{AdvertisedIp}' is not an IP address.");
}
