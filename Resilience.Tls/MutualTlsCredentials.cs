using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ReliableRpc.Tls.Internal;

namespace ReliableRpc.Tls;

/// <summary>
/// This process's certificate and the private CA it trusts, loaded once at start from the files of
/// <see cref="MutualTlsOptions"/> and checked against them, so a wrong file fails the start rather than every
/// handshake.
/// </summary>
public sealed class MutualTlsCredentials
{
    private readonly PeerCertificateValidator _validator;

    private MutualTlsCredentials(X509Certificate2 certificate, X509Certificate2Collection authorities, MutualTlsOptions options, PeerCertificateValidator validator)
    {
        Certificate = certificate;
        Authorities = authorities;
        Options = options;
        _validator = validator;
    }

    /// <summary>Why the last server checked by <see cref="ValidateServerCertificate"/> was refused; null when none was.</summary>
    public string? LastServerRefusal { get; private set; }

    /// <summary>
    /// Checks a server that is not an Orleans peer, such as Redis over TLS, against the same private CA: its
    /// certificate must chain to it, be valid now and carry serverAuth (a silo's certificate does). Host names are
    /// not checked, as for silos. Shaped as a <see cref="RemoteCertificateValidationCallback"/>: StackExchange.Redis
    /// takes it as <c>ConfigurationOptions.CertificateValidation</c>.
    /// </summary>
    public bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors sslPolicyErrors)
    {
        // .NET's TLS stack hands over an X509Certificate2; anything else is read from its bytes.
        using var copy = certificate is null or X509Certificate2 ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var problem = _validator.CheckServer(certificate as X509Certificate2 ?? copy, chain);
        LastServerRefusal = problem;
        return problem is null;
    }

    /// <summary>
    /// This process's certificate, for a server that asks for one (Redis with <c>tls-auth-clients</c>). Shaped as a
    /// <see cref="LocalCertificateSelectionCallback"/>: StackExchange.Redis takes it as
    /// <c>ConfigurationOptions.CertificateSelection</c>.
    /// </summary>
    public X509Certificate SelectClientCertificate(object sender, string targetHost, X509CertificateCollection localCertificates, X509Certificate? remoteCertificate, string[] acceptableIssuers) =>
        Certificate;

    /// <summary>This process's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificates peers must chain to.</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>The settings they came from.</summary>
    public MutualTlsOptions Options { get; }

    /// <summary>
    /// Whether to use TLS: false when plain TCP was chosen (<see cref="MutualTlsOptions.Enabled"/> false) or when nothing
    /// is configured and <paramref name="requireUnlessChosen"/> is false (a developer's lone silo); true when TLS is
    /// asked for or any path is set.
    /// </summary>
    /// <exception cref="MutualTlsConfigurationException">Nothing is configured and <paramref name="requireUnlessChosen"/> is true.</exception>
    public static bool IsWanted(MutualTlsOptions options, bool requireUnlessChosen, string where)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Enabled == false)
        {
            return false;
        }

        if (options.Enabled == true || options.AnyPathSet)
        {
            return true;
        }

        return requireUnlessChosen
            ? throw new MutualTlsConfigurationException(
                $"{where} needs mutual TLS: set Tls:CertificatePath, Tls:KeyPath and Tls:CaPath (--tls-cert, --tls-key, --tls-ca; 'Client certs' makes dev certificates), or choose plain TCP explicitly with Tls:Enabled=false (--plain-tcp).")
            : false;
    }

    /// <summary>Loads and checks the files: every missing setting is named; this process's own certificate must pass the check its peers will make.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="role">What this process is (a silo's certificate needs serverAuth and clientAuth).</param>
    /// <param name="time">The clock for validity; the system clock when null.</param>
    /// <exception cref="MutualTlsConfigurationException">A setting is missing or a file unusable.</exception>
    public static MutualTlsCredentials Load(MutualTlsOptions options, TlsPeerRole role, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pfx = options.CertificatePath is { } p && (p.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".p12", StringComparison.OrdinalIgnoreCase));
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            missing.Add("Tls:CertificatePath (--tls-cert, this process's certificate)");
        }

        if (!pfx && string.IsNullOrWhiteSpace(options.KeyPath))
        {
            missing.Add("Tls:KeyPath (--tls-key, the private key of the certificate)");
        }

        if (string.IsNullOrWhiteSpace(options.CaPath))
        {
            missing.Add("Tls:CaPath (--tls-ca, the CA that issues the cluster's certificates)");
        }

        if (missing.Count > 0)
        {
            throw new MutualTlsConfigurationException($"incomplete TLS configuration, missing: {string.Join("; ", missing)}. Or choose plain TCP explicitly with Tls:Enabled=false (--plain-tcp).");
        }

        if (options.HandshakeTimeout <= TimeSpan.Zero)
        {
            throw new MutualTlsConfigurationException($"Tls:HandshakeTimeout must be positive (was {options.HandshakeTimeout}).");
        }

        if (options.ExpiryWarningDays < 0)
        {
            throw new MutualTlsConfigurationException($"Tls:ExpiryWarningDays must not be negative (was {options.ExpiryWarningDays}).");
        }

        if (string.IsNullOrWhiteSpace(options.SiloIdentity) || string.IsNullOrWhiteSpace(options.ClientIdentity))
        {
            throw new MutualTlsConfigurationException("Tls:SiloIdentity and Tls:ClientIdentity must not be empty.");
        }

        var authorities = LoadAuthorities(RequireFile(options.CaPath!, "Tls:CaPath"));
        var certificate = pfx
            ? LoadPfx(RequireFile(options.CertificatePath!, "Tls:CertificatePath"), options.CertificatePassword)
            : LoadPem(RequireFile(options.CertificatePath!, "Tls:CertificatePath"), RequireFile(options.KeyPath!, "Tls:KeyPath"), options.CertificatePassword);

        var validator = new PeerCertificateValidator(authorities, options, time ?? TimeProvider.System);
        var problem = validator.Check(certificate, null, role);
        if (problem is not null)
        {
            throw new MutualTlsConfigurationException($"Tls:CertificatePath: this {role.ToString().ToLowerInvariant()}'s own {problem}; its peers would refuse it.");
        }

        return new MutualTlsCredentials(certificate, authorities, options, validator);
    }

    /// <summary>This process's certificate and the CA certificates that expire within <paramref name="within"/> of <paramref name="now"/>.</summary>
    public IEnumerable<X509Certificate2> ExpiringWithin(TimeSpan within, DateTimeOffset now) => CertificateExpiry.ExpiringSoon(this, now, within);

    private static string RequireFile(string path, string setting) =>
        File.Exists(path) ? path : throw new MutualTlsConfigurationException($"{setting}: file '{path}' does not exist.");

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (CryptographicException error)
        {
            throw new MutualTlsConfigurationException($"Tls:CaPath: '{path}' is not a PEM certificate file: {error.Message}");
        }

        if (authorities.Count == 0)
        {
            throw new MutualTlsConfigurationException($"Tls:CaPath: '{path}' holds no PEM certificate.");
        }

        var notCa = authorities.FirstOrDefault(c => c.Extensions.OfType<X509BasicConstraintsExtension>().All(b => !b.CertificateAuthority));
        return notCa is null
            ? authorities
            : throw new MutualTlsConfigurationException($"Tls:CaPath: '{notCa.Subject}' in '{path}' is not a CA certificate (basic constraints CA:true).");
    }

    private static X509Certificate2 LoadPem(string certificatePath, string keyPath, string? password)
    {
        try
        {
            using var pem = string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, keyPath);

            // Through PKCS#12 so the key is a persisted one: SslStream cannot use an ephemeral key on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (CryptographicException error)
        {
            throw new MutualTlsConfigurationException($"Tls:CertificatePath/Tls:KeyPath: '{certificatePath}' with key '{keyPath}' cannot be loaded (is the key the certificate's, and the password right?): {error.Message}");
        }
        catch (ArgumentException error)
        {
            throw new MutualTlsConfigurationException($"Tls:CertificatePath/Tls:KeyPath: '{certificatePath}' or '{keyPath}' is not PEM: {error.Message}");
        }
    }

    private static X509Certificate2 LoadPfx(string path, string? password)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            return certificate.HasPrivateKey
                ? certificate
                : throw new MutualTlsConfigurationException($"Tls:CertificatePath: '{path}' holds no private key.");
        }
        catch (CryptographicException error)
        {
            throw new MutualTlsConfigurationException($"Tls:CertificatePath: '{path}' cannot be opened (wrong Tls:CertificatePassword?): {error.Message}");
        }
    }
}
