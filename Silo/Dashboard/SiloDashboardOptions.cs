using System.ComponentModel.DataAnnotations;
using System.Net;
using ReliableRpc.Silo.Hosting;
using ReliableRpc.Silo.Http;

namespace ReliableRpc.Silo.Dashboard;

/// <summary>
/// The operator's view: the Orleans Dashboard (<c>/dashboard/</c>) and the resilience page (<c>/resilience</c>), served
/// by the silo's HTTP server. Bound from the "Dashboard" configuration section.
/// </summary>
public sealed class SiloDashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Dashboard";

    /// <summary>The default value of <see cref="Window"/>.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Serves the dashboard and the resilience page. Nothing is served when the silo has no HTTP port
    /// (<c>Http:Port</c> 0). The default value is true.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A port of its own for the dashboard and the resilience page, on <see cref="BindAddress"/>; 0 serves them on the
    /// HTTP port (<c>Http:Port</c>, <c>Http:BindAddress</c>). The default value is 0. A port of their own lets a
    /// container open the HTTP port to probes and scrapers while the admin pages stay on loopback.
    /// </summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>Address of <see cref="Port"/>'s listener. The default value is 127.0.0.1.</summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// User name of the HTTP Basic credential the pages ask for. Required, with <see cref="Password"/>, when they are
    /// reachable from another machine (a bind address other than loopback). No default.
    /// </summary>
    public string? Username { get; set; }

    /// <summary>The credential's password; give it through the environment (<c>RELIABLERPC_Dashboard__Password</c>). No default.</summary>
    public string? Password { get; set; }

    /// <summary>The sliding window the resilience page's rates and percentiles are taken over. The default value is 10 s.</summary>
    public TimeSpan Window { get; set; } = DefaultWindow;

    /// <summary>True when a credential is configured.</summary>
    public bool HasCredential => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    /// <summary>Whether the pages are served on a listener of their own.</summary>
    internal bool HasOwnPort(SiloHttpOptions http) => Port != 0 && Port != http.Port;

    /// <summary>Whether anything serves the pages: enabled, and the silo has an HTTP server.</summary>
    internal bool IsServed(SiloHttpOptions http) => Enabled && http.Port != 0;

    /// <summary>The address the pages are reachable on.</summary>
    internal IPAddress EffectiveBindAddress(SiloHttpOptions http) => HasOwnPort(http)
        ? IPAddress.TryParse(BindAddress, out var address) ? address : throw new SiloConfigurationException($"{Section}:BindAddress '{BindAddress}' is not an IP address.")
        : http.ParseBindAddress();

    /// <summary>
    /// Refuses a configuration that would open an admin page to the network without a credential, or that cannot work.
    /// </summary>
    internal void Validate(SiloHttpOptions http, int siloPort, int gatewayPort)
    {
        if (!Enabled)
        {
            return;
        }

        if (Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromMinutes(10))
        {
            throw new SiloConfigurationException($"{Section}:Window must be between 1 s and 10 min (was {Window}).");
        }

        if (Port != 0 && http.Port == 0)
        {
            throw new SiloConfigurationException($"{Section}:Port ({Port}) needs Http:Port: the dashboard is served by the silo's HTTP server, which is off.");
        }

        if (Port != 0 && (Port == siloPort || Port == gatewayPort))
        {
            throw new SiloConfigurationException($"{Section}:Port ({Port}) must differ from Silo:SiloPort and Silo:GatewayPort.");
        }

        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            throw new SiloConfigurationException($"{Section}:Username and {Section}:Password go together: set both or neither.");
        }

        if (!IsServed(http))
        {
            return;
        }

        var address = EffectiveBindAddress(http);
        if (!IPAddress.IsLoopback(address) && !HasCredential)
        {
            var setting = HasOwnPort(http) ? $"{Section}:BindAddress" : "Http:BindAddress";
            throw new SiloConfigurationException(
                $"the dashboard would be reachable from other machines ({setting} is {address}) without a credential. Set {Section}:Username and " +
                $"{Section}:Password (e.g. RELIABLERPC_Dashboard__Password), give the dashboard a loopback port of its own ({Section}:Port, " +
                $"{Section}:BindAddress 127.0.0.1), or turn it off ({Section}:Enabled=false).");
        }
    }
}
