namespace ReliableRpc.Tls;

/// <summary>
/// Mutual TLS on every Orleans link (silo↔silo, client↔gateway), from certificate files. Bound from the "Tls"
/// configuration section on a silo, and from the client's <c>--tls-*</c> options.
/// </summary>
/// <remarks>
/// TLS is on when any of the paths is set (a half configuration then fails the start, naming what is missing) or
/// when <see cref="Enabled"/> is true; plain TCP only when <see cref="Enabled"/> is false, with a startup warning.
/// </remarks>
public sealed class MutualTlsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Tls";

    /// <summary>
    /// True: TLS required (the paths must be set). False: plain TCP, chosen explicitly (a warning is logged).
    /// Null: TLS when a path is configured. The default value is null.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>This process's certificate: a PEM file (with <see cref="KeyPath"/>) or a PFX/PKCS#12 file (.pfx, .p12). The default value is null.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>; not used with a PFX. The default value is null.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// The password of a PFX, or of an encrypted PEM key. Give it through the environment
    /// (<c>RELIABLERPC_Tls__CertificatePassword</c>), never on a command line. The default value is null.
    /// </summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The private CA's certificate(s), PEM: peers must chain to one of them (the system store is not used). The default value is null.</summary>
    public string? CaPath { get; set; }

    /// <summary>
    /// The SAN URI a silo's certificate must carry: silo-to-silo links accept only peers with it. The default value is
    /// <see cref="DefaultSiloIdentity"/>.
    /// </summary>
    public string SiloIdentity { get; set; } = DefaultSiloIdentity;

    /// <summary>The SAN URI a client's certificate must carry to be accepted by a gateway. The default value is <see cref="DefaultClientIdentity"/>.</summary>
    public string ClientIdentity { get; set; } = DefaultClientIdentity;

    /// <summary>How long a TLS handshake may take before the connection is dropped (an idle or slow peer). The default value is 5 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A certificate that expires within this many days is logged as a warning at start. The default value is 14.</summary>
    public int ExpiryWarningDays { get; set; } = 14;

    /// <summary>The default <see cref="SiloIdentity"/>.</summary>
    public const string DefaultSiloIdentity = "urn:reliablerpc:silo";

    /// <summary>The default <see cref="ClientIdentity"/>.</summary>
    public const string DefaultClientIdentity = "urn:reliablerpc:client";

    /// <summary>True when any certificate path is set.</summary>
    public bool AnyPathSet =>
        !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(KeyPath) || !string.IsNullOrWhiteSpace(CaPath);
}
