using ReliableRpc.Client.Certs;
using ReliableRpc.Tls;

namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>
/// Certificates for the system tests, made once per test run in a temporary directory: the cluster's CA with a silo
/// and a client certificate, and a foreign CA with its own pair (what an attacker or a wrong deployment presents).
/// </summary>
internal static class TestCertificates
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), $"reliablerpc-certs-{Environment.ProcessId}");
        foreach (var ca in new[] { "cluster", "foreign" })
        {
            var directory = Path.Combine(root, ca);
            using var authority = DevCertificates.EnsureAuthority(directory, TimeSpan.FromDays(90), $"ReliableRpc test CA {ca}");
            DevCertificates.Issue(authority, directory, "silo", TlsPeerRole.Silo, TimeSpan.FromDays(30));
            DevCertificates.Issue(authority, directory, "client", TlsPeerRole.Client, TimeSpan.FromDays(30));
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return root;
    });

    /// <summary>The cluster's CA, silo and client certificates.</summary>
    public static CertificateSet Cluster => new(Path.Combine(Root.Value, "cluster"));

    /// <summary>Another CA's silo and client certificates.</summary>
    public static CertificateSet Foreign => new(Path.Combine(Root.Value, "foreign"));

    /// <summary>New silo certificates from the cluster's CA in a new directory: a rotation.</summary>
    public static CertificateSet Rotated(string name)
    {
        var cluster = Cluster;
        var directory = Path.Combine(Root.Value, $"rotated-{name}");
        Directory.CreateDirectory(directory);
        File.Copy(cluster.Ca, Path.Combine(directory, "ca.pem"), overwrite: true);
        File.Copy(Path.Combine(cluster.Directory, "ca.key"), Path.Combine(directory, "ca.key"), overwrite: true);
        using var authority = DevCertificates.EnsureAuthority(directory, TimeSpan.FromDays(90));
        DevCertificates.Issue(authority, directory, "silo", TlsPeerRole.Silo, TimeSpan.FromDays(30));
        DevCertificates.Issue(authority, directory, "client", TlsPeerRole.Client, TimeSpan.FromDays(30));
        return new CertificateSet(directory);
    }
}

/// <summary>One directory of ca.pem, silo.pem/key, client.pem/key.</summary>
internal sealed record CertificateSet(string Directory)
{
    public string Ca => Path.Combine(Directory, "ca.pem");

    /// <summary>Command-line arguments of a silo using this set.</summary>
    public string[] SiloArguments => ["--tls-cert", Path.Combine(Directory, "silo.pem"), "--tls-key", Path.Combine(Directory, "silo.key"), "--tls-ca", Ca];

    /// <summary>The client's TLS settings with this set.</summary>
    public MutualTlsOptions Client => new()
    {
        CertificatePath = Path.Combine(Directory, "client.pem"),
        KeyPath = Path.Combine(Directory, "client.key"),
        CaPath = Ca,
    };
}
