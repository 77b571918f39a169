using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;

namespace ReliableRpc.Tls.Internal;

/// <summary>The <see cref="ReliableRpcDiagnostics.TlsCertificateExpiry"/> gauge: seconds left of this process's certificates, measured when read.</summary>
internal static class CertificateExpiry
{
    private static readonly ConcurrentDictionary<(string Kind, string Subject), DateTimeOffset> NotAfter = new();

    // A meter of the library's name: listeners subscribe by name, so this package's gauge sits beside the pipeline's.
    private static readonly Meter Meter = new(ReliableRpcDiagnostics.Name);

    public static readonly ObservableGauge<double> Gauge = Meter.CreateObservableGauge(
        ReliableRpcDiagnostics.TlsCertificateExpiry,
        () => NotAfter.Select(c => new Measurement<double>(
            (c.Value - DateTimeOffset.UtcNow).TotalSeconds,
            new KeyValuePair<string, object?>(ReliableRpcDiagnostics.CertificateTag, c.Key.Kind),
            new KeyValuePair<string, object?>(ReliableRpcDiagnostics.SubjectTag, c.Key.Subject))),
        unit: "s",
        description: "Seconds until this process's TLS certificate (certificate=leaf) or a trusted CA (certificate=ca) expires.");

    public static void Track(MutualTlsCredentials credentials)
    {
        NotAfter[("leaf", credentials.Certificate.Subject)] = credentials.Certificate.NotAfter.ToUniversalTime();
        foreach (var authority in credentials.Authorities)
        {
            NotAfter[("ca", authority.Subject)] = authority.NotAfter.ToUniversalTime();
        }
    }

    /// <summary>The certificates that expire within <paramref name="within"/> of <paramref name="now"/>.</summary>
    public static IEnumerable<X509Certificate2> ExpiringSoon(MutualTlsCredentials credentials, DateTimeOffset now, TimeSpan within) =>
        credentials.Authorities.Prepend(credentials.Certificate).Where(c => c.NotAfter.ToUniversalTime() - now.UtcDateTime <= within);
}
