using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace ReliableRpc.Tls.Internal;

/// <summary>
/// Decides whether a peer's certificate may stand at one end of a link: it chains to our private CA (never the
/// system store), is valid now, carries the usages of its role, and names the role in a SAN URI. Orleans dials IP
/// addresses, so host names are not checked: the SAN URI is the identity.
/// </summary>
internal sealed class PeerCertificateValidator(X509Certificate2Collection authorities, MutualTlsOptions options, TimeProvider time)
{
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>Null when the certificate is acceptable for <paramref name="role"/>; otherwise why not, for logs and error messages.</summary>
    /// <param name="certificate">The peer's certificate.</param>
    /// <param name="presented">The chain the TLS stack built from what the peer sent (for intermediates); may be null.</param>
    /// <param name="role">The role the peer must prove.</param>
    public string? Check(X509Certificate2? certificate, X509Chain? presented, TlsPeerRole role)
    {
        if (certificate is null)
        {
            return "no certificate presented";
        }

        var who = Who(certificate);
        if (ChainProblem(certificate, presented, who) is { } problem)
        {
            return problem;
        }

        var usages = Usages(certificate);
        if (!usages.Contains(ClientAuthOid))
        {
            return $"{who} lacks the clientAuth extended key usage";
        }

        if (role == TlsPeerRole.Silo && !usages.Contains(ServerAuthOid))
        {
            return $"{who} lacks the serverAuth extended key usage a silo needs";
        }

        var identity = role == TlsPeerRole.Silo ? options.SiloIdentity : options.ClientIdentity;
        if (!SubjectAlternativeUris(certificate).Contains(identity, StringComparer.OrdinalIgnoreCase))
        {
            return $"{who} does not carry the {role.ToString().ToLowerInvariant()} identity (SAN URI {identity})";
        }

        return null;
    }

    /// <summary>
    /// Null when a server that is not an Orleans peer (Redis) may be trusted: its certificate chains to our CA, is
    /// valid now and carries serverAuth. No identity and no host name: the local cluster dials 127.0.0.1.
    /// </summary>
    public string? CheckServer(X509Certificate2? certificate, X509Chain? presented)
    {
        if (certificate is null)
        {
            return "no certificate presented";
        }

        var who = Who(certificate);
        return ChainProblem(certificate, presented, who)
            ?? (Usages(certificate).Contains(ServerAuthOid) ? null : $"{who} lacks the serverAuth extended key usage");
    }

    private static string Who(X509Certificate2 certificate) => $"certificate '{certificate.Subject}' ({certificate.Thumbprint})";

    private static HashSet<string?> Usages(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>())
            .Select(o => o.Value).ToHashSet(StringComparer.Ordinal);

    private string? ChainProblem(X509Certificate2 certificate, X509Chain? presented, string who)
    {
        using (var chain = new X509Chain())
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            if (presented is not null)
            {
                foreach (var element in presented.ChainElements.Skip(1))
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            if (!chain.Build(certificate))
            {
                var problems = string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
                return problems.Contains(nameof(X509ChainStatusFlags.NotTimeValid), StringComparison.Ordinal)
                    ? $"{who} is expired or not yet valid (valid {certificate.NotBefore:u} to {certificate.NotAfter:u})"
                    : $"{who} is not issued by the configured CA ({problems})";
            }
        }

        return null;
    }

    /// <summary>The URIs of the certificate's subject alternative name (.NET parses only DNS names and IP addresses).</summary>
    public static IReadOnlyList<string> SubjectAlternativeUris(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.Cast<X509Extension>().FirstOrDefault(e => e.Oid?.Value == SubjectAltNameOid);
        if (extension is null)
        {
            return [];
        }

        var uris = new List<string>();
        try
        {
            var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (names.HasData)
            {
                if (names.PeekTag().HasSameClassAndValue(uriTag))
                {
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed extension proves no identity.
            return [];
        }

        return uris;
    }
}
