using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ReliableRpc.Tls;

namespace ReliableRpc.Client.Certs;

/// <summary>
/// A private development CA and the leaf certificates it issues, as PEM files: <c>ca.pem</c>/<c>ca.key</c>,
/// <c>NAME.pem</c>/<c>NAME.key</c>. Keys are ECDSA P-256, written with file mode 600. Made with
/// <see cref="CertificateRequest"/> alone, so no openssl is needed.
/// </summary>
internal static class DevCertificates
{
    /// <summary>Loads the CA in <paramref name="directory"/>, or makes one valid for <paramref name="lifetime"/> when there is none.</summary>
    public static X509Certificate2 EnsureAuthority(string directory, TimeSpan lifetime, string name = "ReliableRpc dev CA")
    {
        Directory.CreateDirectory(directory);
        var (certificatePath, keyPath) = Paths(directory, "ca");
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=ReliableRpc", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        using var authority = request.CreateSelfSigned(now.AddMinutes(-5), now + lifetime);
        Write(certificatePath, keyPath, authority, key);
        return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
    }

    /// <summary>Issues (or replaces) <c>NAME.pem</c>/<c>NAME.key</c> for a silo or a client, signed by <paramref name="authority"/>.</summary>
    /// <param name="notBefore">Start of validity; defaults to five minutes ago (clock skew between machines).</param>
    public static (string Certificate, string Key) Issue(X509Certificate2 authority, string directory, string name, TlsPeerRole role, TimeSpan lifetime,
        string? identity = null, DateTimeOffset? notBefore = null) =>
        // A silo is a TLS server (its ports) and a client (it dials other silos): both usages. A client only dials.
        Issue(authority, directory, name, serverAuth: role == TlsPeerRole.Silo, clientAuth: true,
            identity ?? (role == TlsPeerRole.Silo ? MutualTlsOptions.DefaultSiloIdentity : MutualTlsOptions.DefaultClientIdentity), lifetime, notBefore);

    /// <summary>
    /// Issues <c>NAME.pem</c>/<c>NAME.key</c> for a server that is not a peer, such as Redis: serverAuth only and no
    /// identity URI, so its key cannot pass as a silo's or a client's.
    /// </summary>
    public static (string Certificate, string Key) IssueServer(X509Certificate2 authority, string directory, string name, TimeSpan lifetime) =>
        Issue(authority, directory, name, serverAuth: true, clientAuth: false, identity: null, lifetime, notBefore: null);

    private static (string Certificate, string Key) Issue(X509Certificate2 authority, string directory, string name, bool serverAuth, bool clientAuth,
        string? identity, TimeSpan lifetime, DateTimeOffset? notBefore)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=reliablerpc-{name}, O=ReliableRpc", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        var usages = new OidCollection();
        if (clientAuth)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        }

        if (serverAuth)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        var san = new SubjectAlternativeNameBuilder();
        if (identity is not null)
        {
            san.AddUri(new Uri(identity));
        }

        san.AddDnsName($"reliablerpc-{name}");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        var start = notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        var end = start + lifetime;
        if (end > authority.NotAfter)
        {
            end = authority.NotAfter;
        }

        using var certificate = request.Create(authority, start, end, RandomNumberGenerator.GetBytes(16));
        var (certificatePath, keyPath) = Paths(directory, name);
        Write(certificatePath, keyPath, certificate, key);
        return (certificatePath, keyPath);
    }

    public static (string Certificate, string Key) Paths(string directory, string name) =>
        (Path.Combine(directory, $"{name}.pem"), Path.Combine(directory, $"{name}.key"));

    /// <summary>The file names of a Kubernetes TLS Secret, as cert-manager writes them and the manifests mount them.</summary>
    public static readonly (string Certificate, string Key, string Authority) SecretFileNames = ("tls.crt", "tls.key", "ca.crt");

    /// <summary>
    /// Copies <c>NAME.pem</c>/<c>NAME.key</c> and the CA's certificate into the folder <c>NAME/</c> as <c>tls.crt</c>,
    /// <c>tls.key</c> and <c>ca.crt</c>: the shape of the Secret a pod mounts, so one folder is one Secret (the
    /// Kubernetes fallback Job makes a Secret from each folder; compose mounts each as a volume's subpath). The CA's
    /// key is never copied. With <paramref name="groupReadableKey"/> the key is mode 640 rather than 600: for a server
    /// that runs as another user of the same group (Redis in the compose file).
    /// </summary>
    /// <returns>The folder.</returns>
    public static string WriteSecretFolder(string directory, string name, bool groupReadableKey)
    {
        var (certificate, key) = Paths(directory, name);
        var folder = Path.Combine(directory, name);
        Directory.CreateDirectory(folder);
        File.Copy(certificate, Path.Combine(folder, SecretFileNames.Certificate), overwrite: true);
        File.Copy(Paths(directory, "ca").Certificate, Path.Combine(folder, SecretFileNames.Authority), overwrite: true);
        var keyCopy = Path.Combine(folder, SecretFileNames.Key);
        File.Delete(keyCopy);
        using (var writer = CreatePrivate(keyCopy))
        {
            writer.Write(File.ReadAllText(key));
        }

        if (groupReadableKey && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyCopy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }

        return folder;
    }

    private static StreamWriter CreatePrivate(string path)
    {
        // Created with mode 600 from the start, so a key is never readable by others, not even briefly.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new StreamWriter(path, options);
    }

    private static void Write(string certificatePath, string keyPath, X509Certificate2 certificate, ECDsa key)
    {
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");

        File.Delete(keyPath);
        using var writer = CreatePrivate(keyPath);
        writer.Write(key.ExportPkcs8PrivateKeyPem() + "\n");
    }
}
