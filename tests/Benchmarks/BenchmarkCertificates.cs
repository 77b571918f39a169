using ReliableRpc.Client.Certs;
using ReliableRpc.Tls;

namespace ReliableRpc.Benchmarks;

/// <summary>Dev certificates for the TLS configuration, made once per run in a temporary directory.</summary>
internal static class BenchmarkCertificates
{
    private static readonly Lazy<string> Directory = new(() =>
    {
        var directory = Path.Combine(Path.GetTempPath(), $"reliablerpc-bench-certs-{Environment.ProcessId}");
        using var authority = DevCertificates.EnsureAuthority(directory, TimeSpan.FromDays(30));
        DevCertificates.Issue(authority, directory, "silo", TlsPeerRole.Silo, TimeSpan.FromDays(20));
        DevCertificates.Issue(authority, directory, "client", TlsPeerRole.Client, TimeSpan.FromDays(20));
        return directory;
    });

    public static MutualTlsCredentials Load(TlsPeerRole role)
    {
        var name = role == TlsPeerRole.Silo ? "silo" : "client";
        var (certificate, key) = DevCertificates.Paths(Directory.Value, name);
        return MutualTlsCredentials.Load(new MutualTlsOptions { CertificatePath = certificate, KeyPath = key, CaPath = Path.Combine(Directory.Value, "ca.pem") }, role);
    }
}
