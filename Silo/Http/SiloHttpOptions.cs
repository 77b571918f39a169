using System.ComponentModel.DataAnnotations;
using System.Net;
using ReliableRpc.Silo.Hosting;

namespace ReliableRpc.Silo.Http;

/// <summary>
/// The silo's HTTP port: health checks (<c>/healthz</c>, <c>/ready</c>) and the Prometheus scrape endpoint
/// (<c>/metrics</c>). Bound from the "Http" configuration section.
/// </summary>
public sealed class SiloHttpOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Http";

    /// <summary>
    /// Port of the HTTP endpoint; 0 turns it off (no listener at all). The default value is 0: a developer's silos and
    /// the tests' silos share one machine, so nobody gets a port they did not ask for.
    /// </summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>
    /// Address the HTTP endpoint binds to. The default value is 127.0.0.1; in a container it must be 0.0.0.0 so that
    /// probes and scrapers from outside the container reach it.
    /// </summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Parses <see cref="BindAddress"/>, naming the setting when it is not an address.</summary>
    public IPAddress ParseBindAddress() =>
        IPAddress.TryParse(BindAddress, out var address)
            ? address
            : throw new SiloConfigurationException($"{Section}:BindAddress '{BindAddress}' is not an IP address.");
}
