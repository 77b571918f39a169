using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using ReliableRpc.Client.Certs;
using ReliableRpc.Tls;
using ReliableRpc.Tls.Internal;

namespace ReliableRpc.Tests.Unit.Tls;

/// <summary>The peer check and the loading of certificate files, on certificates made by the <c>certs</c> command's code.</summary>
public sealed class PeerCertificateValidatorTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"rr-tls-unit-{Guid.NewGuid():N}");
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _otherCa;

    public PeerCertificateValidatorTests()
    {
        _ca = DevCertificates.EnsureAuthority(Path.Combine(_directory, "ca"), TimeSpan.FromDays(30));
        _otherCa = DevCertificates.EnsureAuthority(Path.Combine(_directory, "other"), TimeSpan.FromDays(30));
    }

    private X509Certificate2 Leaf(X509Certificate2 authority, TlsPeerRole role, string? identity = null, DateTimeOffset? notBefore = null, int days = 7)
    {
        var name = Guid.NewGuid().ToString("N")[..8];
        var (certificate, key) = DevCertificates.Issue(authority, _directory, name, role, TimeSpan.FromDays(days), identity, notBefore);
        return X509Certificate2.CreateFromPemFile(certificate, key);
    }

    private PeerCertificateValidator Validator(TimeProvider? time = null) => new([_ca], new MutualTlsOptions(), time ?? TimeProvider.System);

    [Fact]
    public void Check_SiloCertificateOfOurCa_IsAcceptedAsSiloAndAsClient()
    {
        using var silo = Leaf(_ca, TlsPeerRole.Silo);
        Assert.Null(Validator().Check(silo, null, TlsPeerRole.Silo));
        Assert.Contains("client identity", Validator().Check(silo, null, TlsPeerRole.Client));
    }

    [Fact]
    public void ServerCertificate_ForRedis_PassesTheServerCheck_ButAsNeitherPeer()
    {
        var (path, key) = DevCertificates.IssueServer(_ca, _directory, "redis", TimeSpan.FromDays(7));
        using var server = X509Certificate2.CreateFromPemFile(path, key);
        Assert.Null(Validator().CheckServer(server, null));
        Assert.NotNull(Validator().Check(server, null, TlsPeerRole.Silo));
        Assert.NotNull(Validator().Check(server, null, TlsPeerRole.Client));
        Assert.Empty(PeerCertificateValidator.SubjectAlternativeUris(server));
    }

    [Fact]
    public void Check_ClientCertificate_IsAcceptedAsClient_NotAsSilo()
    {
        using var client = Leaf(_ca, TlsPeerRole.Client);
        Assert.Null(Validator().Check(client, null, TlsPeerRole.Client));
        Assert.Contains("serverAuth", Validator().Check(client, null, TlsPeerRole.Silo));
    }

    [Fact]
    public void Check_CertificateOfAnotherCa_IsRefused()
    {
        using var foreign = Leaf(_otherCa, TlsPeerRole.Silo);
        Assert.Contains("not issued by the configured CA", Validator().Check(foreign, null, TlsPeerRole.Silo));
    }

    [Fact]
    public void Check_ExpiredOrNotYetValid_IsRefused()
    {
        using var silo = Leaf(_ca, TlsPeerRole.Silo, days: 7);
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(8));
        Assert.Contains("expired or not yet valid", Validator(later).Check(silo, null, TlsPeerRole.Silo));
        var earlier = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-1));
        Assert.Contains("expired or not yet valid", Validator(earlier).Check(silo, null, TlsPeerRole.Silo));
    }

    [Fact]
    public void Check_WrongIdentityOrNone_IsRefused()
    {
        using var other = Leaf(_ca, TlsPeerRole.Silo, identity: "urn:someone:else");
        Assert.Contains("silo identity", Validator().Check(other, null, TlsPeerRole.Silo));
        Assert.Equal("no certificate presented", Validator().Check(null, null, TlsPeerRole.Silo));
    }

    [Fact]
    public void SubjectAlternativeUris_ReadsTheUri()
    {
        using var silo = Leaf(_ca, TlsPeerRole.Silo);
        Assert.Equal([MutualTlsOptions.DefaultSiloIdentity], PeerCertificateValidator.SubjectAlternativeUris(silo));
    }

    [Fact]
    public void Load_HalfConfiguration_NamesWhatIsMissing()
    {
        var error = Assert.Throws<MutualTlsConfigurationException>(() => MutualTlsCredentials.Load(new MutualTlsOptions { CertificatePath = "x.pem" }, TlsPeerRole.Silo));
        Assert.Contains("Tls:KeyPath", error.Message);
        Assert.Contains("Tls:CaPath", error.Message);
        Assert.DoesNotContain("Tls:CertificatePath", error.Message);
    }

    [Fact]
    public void Load_MissingFile_NamesTheSettingAndFile()
    {
        var error = Assert.Throws<MutualTlsConfigurationException>(() => MutualTlsCredentials.Load(
            new MutualTlsOptions { CertificatePath = "/nonexistent/silo.pem", KeyPath = "/nonexistent/silo.key", CaPath = Path.Combine(_directory, "ca", "ca.pem") }, TlsPeerRole.Silo));
        Assert.Contains("Tls:CertificatePath: file '/nonexistent/silo.pem'", error.Message);
    }

    [Fact]
    public void Load_ClientCertificateForASilo_IsRefusedAtStart()
    {
        var (certificate, key) = DevCertificates.Issue(_ca, _directory, "c", TlsPeerRole.Client, TimeSpan.FromDays(7));
        var error = Assert.Throws<MutualTlsConfigurationException>(() => MutualTlsCredentials.Load(
            new MutualTlsOptions { CertificatePath = certificate, KeyPath = key, CaPath = Path.Combine(_directory, "ca", "ca.pem") }, TlsPeerRole.Silo));
        Assert.Contains("serverAuth", error.Message);
    }

    [Fact]
    public void Load_GoodFiles_AndExpiryWarningWindow()
    {
        var (certificate, key) = DevCertificates.Issue(_ca, _directory, "s", TlsPeerRole.Silo, TimeSpan.FromDays(7));
        var credentials = MutualTlsCredentials.Load(new MutualTlsOptions { CertificatePath = certificate, KeyPath = key, CaPath = Path.Combine(_directory, "ca", "ca.pem") }, TlsPeerRole.Silo);
        Assert.True(credentials.Certificate.HasPrivateKey);
        Assert.Single(credentials.ExpiringWithin(TimeSpan.FromDays(14), DateTimeOffset.UtcNow));
        Assert.Empty(credentials.ExpiringWithin(TimeSpan.FromDays(3), DateTimeOffset.UtcNow));
    }

    [Fact]
    public void ValidateServerCertificate_ForRedis_WantsOurCaAndServerAuth_NotAHostName()
    {
        var (certificate, key) = DevCertificates.Issue(_ca, _directory, "redis-client", TlsPeerRole.Silo, TimeSpan.FromDays(7));
        var credentials = MutualTlsCredentials.Load(new MutualTlsOptions { CertificatePath = certificate, KeyPath = key, CaPath = Path.Combine(_directory, "ca", "ca.pem") }, TlsPeerRole.Silo);
        using var server = Leaf(_ca, TlsPeerRole.Silo);
        using var client = Leaf(_ca, TlsPeerRole.Client);
        using var foreign = Leaf(_otherCa, TlsPeerRole.Silo);

        // The system store knows nothing of our CA and the name never matches 127.0.0.1: neither counts.
        Assert.True(credentials.ValidateServerCertificate(this, server, null, global::System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors | global::System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.Null(credentials.LastServerRefusal);
        Assert.False(credentials.ValidateServerCertificate(this, client, null, global::System.Net.Security.SslPolicyErrors.None));
        Assert.Contains("serverAuth", credentials.LastServerRefusal);
        Assert.False(credentials.ValidateServerCertificate(this, foreign, null, global::System.Net.Security.SslPolicyErrors.None));
        Assert.Contains("not issued by the configured CA", credentials.LastServerRefusal);
        Assert.Same(credentials.Certificate, credentials.SelectClientCertificate(this, "127.0.0.1", [], null, []));
    }

    [Theory]
    [InlineData(null, false, false, false)]
    [InlineData(false, true, false, false)]
    [InlineData(true, false, false, true)]
    [InlineData(null, true, true, true)]
    public void IsWanted_FollowsTheRules(bool? enabled, bool clustered, bool pathSet, bool expected)
    {
        var options = new MutualTlsOptions { Enabled = enabled, CaPath = pathSet ? "ca.pem" : null };
        Assert.Equal(expected, MutualTlsCredentials.IsWanted(options, clustered, "test"));
    }

    [Fact]
    public void IsWanted_ClusteredWithNothingConfigured_FailsNamingTheWayOut()
    {
        var error = Assert.Throws<MutualTlsConfigurationException>(() => MutualTlsCredentials.IsWanted(new MutualTlsOptions(), requireUnlessChosen: true, "A silo"));
        Assert.Contains("--plain-tcp", error.Message);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
