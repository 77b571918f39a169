using System.Net.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Hosting;
using ReliableRpc.Tls.Internal;

namespace ReliableRpc.Tls;

/// <summary>Mutual TLS on a silo's and a client's Orleans connections, with Orleans' own TLS middleware and our peer check.</summary>
public static class MutualTlsBuilderExtensions
{
    /// <summary>
    /// Mutual TLS on the silo-to-silo port (peers must be silos), the gateway port (peers must be clients) and the
    /// silo's outgoing connections (the remote must be a silo). Orleans' <c>UseTls</c> on a silo applies one check to
    /// all three; it is the same middleware here, set per link so a client certificate cannot join as a silo.
    /// </summary>
    public static ISiloBuilder UseMutualTls(this ISiloBuilder builder, MutualTlsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(credentials);
        AddCommon(builder.Services, credentials);
        builder.Services.AddOptions<SiloConnectionOptions>().Configure<ILoggerFactory>((connections, loggers) =>
        {
            var logger = loggers.CreateLogger("ReliableRpc.Tls");
            connections.ConfigureSiloInboundConnection(c => c.UseServerTls(Create(credentials, TlsPeerRole.Silo, r => MutualTlsLog.LogRefused(logger, "silo inbound", r))));
            connections.ConfigureGatewayInboundConnection(c => c.UseServerTls(Create(credentials, TlsPeerRole.Client, r => MutualTlsLog.LogRefused(logger, "gateway", r))));
            connections.ConfigureSiloOutboundConnection(c => c.UseClientTls(Create(credentials, TlsPeerRole.Silo, r => MutualTlsLog.LogRefused(logger, "silo outbound", r))));
        });
        return builder;
    }

    /// <summary>Mutual TLS on a client's gateway connections: the gateway must prove it is a silo of our CA.</summary>
    /// <param name="builder">The client.</param>
    /// <param name="credentials">The client's certificate and the CA.</param>
    /// <param name="observer">Receives each handshake's outcome (for the connection retry filter); may be null.</param>
    public static IClientBuilder UseMutualTls(this IClientBuilder builder, MutualTlsCredentials credentials, TlsHandshakeObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(credentials);
        AddCommon(builder.Services, credentials);

        // Connection middleware runs in the order it is added: the observer's first half before Orleans' TLS, its
        // second half after it (reached only when the handshake succeeded).
        if (observer is not null)
        {
            builder.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(c => c.Use(next => context =>
            {
                observer.Begun(context.RemoteEndPoint);
                return next(context);
            })));
        }

        builder.UseTls(o => Copy(Create(credentials, TlsPeerRole.Silo, r => observer?.Refused(r)), o));
        if (observer is not null)
        {
            builder.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(c => c.Use(next => context =>
            {
                observer.Completed();
                return next(context);
            })));
        }

        return builder;
    }

    private static void AddCommon(IServiceCollection services, MutualTlsCredentials credentials)
    {
        CertificateExpiry.Track(credentials);
        services.AddSingleton(credentials);
        services.AddHostedService(sp => new MutualTlsLog(credentials, sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<MutualTlsLog>>()));
    }

    /// <summary>The TLS settings of one link whose remote end must prove <paramref name="peer"/>.</summary>
    private static TlsOptions Create(MutualTlsCredentials credentials, TlsPeerRole peer, Action<string> refused)
    {
        var validator = new PeerCertificateValidator(credentials.Authorities, credentials.Options, TimeProvider.System);
        return new TlsOptions
        {
            LocalCertificate = credentials.Certificate,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            HandshakeTimeout = credentials.Options.HandshakeTimeout,

            // The TLS stack's own verdict (chain against the system store, host name) does not apply: the chain is
            // built again against our CA alone, and Orleans dials IP addresses, so the SAN URI is the identity.
            RemoteCertificateValidation = (certificate, chain, _) =>
            {
                var reason = validator.Check(certificate, chain, peer);
                if (reason is not null)
                {
                    refused(reason);
                }

                return reason is null;
            },
        };
    }

    private static void Copy(TlsOptions from, TlsOptions to)
    {
        to.LocalCertificate = from.LocalCertificate;
        to.RemoteCertificateMode = from.RemoteCertificateMode;
        to.ClientCertificateMode = from.ClientCertificateMode;
        to.HandshakeTimeout = from.HandshakeTimeout;
        to.RemoteCertificateValidation = from.RemoteCertificateValidation;
    }
}
