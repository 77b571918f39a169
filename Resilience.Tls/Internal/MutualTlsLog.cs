using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ReliableRpc.Tls.Internal;

/// <summary>TLS log events: refused peers, and a start-up warning for certificates close to expiry.</summary>
internal sealed partial class MutualTlsLog(MutualTlsCredentials credentials, TimeProvider time, ILogger<MutualTlsLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var within = TimeSpan.FromDays(credentials.Options.ExpiryWarningDays);
        LogOn(logger, credentials.Certificate.Subject, credentials.Certificate.NotAfter.ToUniversalTime(), credentials.Authorities.Count);
        foreach (var certificate in CertificateExpiry.ExpiringSoon(credentials, time.GetUtcNow(), within))
        {
            LogExpiringSoon(logger, certificate.Subject, certificate.Thumbprint, certificate.NotAfter.ToUniversalTime(),
                (certificate.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime).TotalDays, credentials.Options.ExpiryWarningDays);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 600, EventName = "TlsOn", Level = LogLevel.Information,
        Message = "Mutual TLS on every link with certificate '{Subject}' (valid until {NotAfter:u}), {Authorities} trusted CA certificate(s)")]
    private static partial void LogOn(ILogger logger, string subject, DateTime notAfter, int authorities);

    [LoggerMessage(EventId = 601, EventName = "TlsCertificateExpiringSoon", Level = LogLevel.Warning,
        Message = "TLS certificate '{Subject}' ({Thumbprint}) expires {NotAfter:u}, in {DaysLeft:0.0} days (warning below {WarningDays} days): replace it and restart one process at a time")]
    private static partial void LogExpiringSoon(ILogger logger, string subject, string thumbprint, DateTime notAfter, double daysLeft, int warningDays);

    [LoggerMessage(EventId = 602, EventName = "TlsPeerRefused", Level = LogLevel.Warning,
        Message = "TLS peer refused on a {Link} link: {Reason}")]
    public static partial void LogRefused(ILogger logger, string link, string reason);
}
