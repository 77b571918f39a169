using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using ReliableRpc.Grains.Blobs;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Silo.Dashboard;
using ReliableRpc.Silo.FaultInjection;
using ReliableRpc.Silo.Http;
using ReliableRpc.Silo.Telemetry;
using ReliableRpc.Tls;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace ReliableRpc.Silo.Hosting;

/// <summary>Builds the silo host from configuration: appsettings.json, RELIABLERPC_* environment variables, command line.</summary>
public static class SiloHostBuilder
{
    /// <summary>Short command-line switches for the settings people change most.</summary>
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["--silo-port"] = "Silo:SiloPort",
        ["--gateway-port"] = "Silo:GatewayPort",
        ["--cluster-id"] = "Silo:ClusterId",
        ["--service-id"] = "Silo:ServiceId",
        ["--advertised-ip"] = "Silo:AdvertisedIp",
        ["--redis"] = "ConnectionStrings:Redis",
        ["--pipeline"] = "ReliableRpc:Enabled",
        ["--http-port"] = "Http:Port",
        // The older name of the same port, from when it served only /metrics.
        ["--metrics-port"] = "Http:Port",
        ["--http-address"] = "Http:BindAddress",
        ["--dashboard-port"] = "Dashboard:Port",
        ["--dashboard-address"] = "Dashboard:BindAddress",
        ["--console-traces"] = "Telemetry:ConsoleTraces",
        ["--tls-cert"] = "Tls:CertificatePath",
        ["--tls-key"] = "Tls:KeyPath",
        ["--tls-ca"] = "Tls:CaPath",
        ["--redis-password-file"] = "Redis:PasswordFile",
    };

    /// <summary>A switch without a value: <c>--plain-tcp</c> is Tls:Enabled=false (plain TCP, chosen explicitly).</summary>
    public const string PlainTcpSwitch = "--plain-tcp";

    /// <summary>Creates the host. Invalid settings fail here, with a message naming the setting.</summary>
    public static WebApplication Build(string[] args)
    {
        // A web application rather than the generic host, for Kestrel on the silo's HTTP port (health checks, metrics).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = Array.Empty<string>(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables("RELIABLERPC_");
        builder.Configuration.AddCommandLine(args.Select(a => a == PlainTcpSwitch ? "--Tls:Enabled=false" : a).ToArray(), SwitchMappings.ToDictionary());

        var options = builder.Configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        var http = HttpOptions(builder.Configuration);
        var dashboard = builder.Configuration.GetSection(SiloDashboardOptions.Section).Get<SiloDashboardOptions>() ?? new SiloDashboardOptions();
        Validate(options, http, dashboard);
        var redis = builder.Configuration.GetConnectionString("Redis");
        if (options.KubernetesHosting)
        {
            KubernetesHosting.Validate(redis);
        }
        var redisPassword = RedisPassword.Read(builder.Configuration);
        var tls = LoadTls(builder.Configuration, clustered: !string.IsNullOrWhiteSpace(redis));

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            silo.AddReliableRpc(rpc => builder.Configuration.GetSection(ReliableRpcOptions.Section).Bind(rpc));
            silo.AddFaultInjection(builder.Configuration);
            DashboardEndpoints.AddTo(silo, dashboard, http);

            // After the pipeline, so Orleans' client span of an attempt is a child of the pipeline's attempt span.
            silo.AddActivityPropagation();
            ClusterTuning.Apply(silo, builder.Configuration);
            if (tls is not null)
            {
                silo.UseMutualTls(tls);
            }

            if (string.IsNullOrWhiteSpace(redis))
            {
                UseEmbeddedDefault(silo, options);
            }
            else
            {
                if (options.KubernetesHosting)
                {
                    KubernetesHosting.Apply(silo, options);
                }
                else
                {
                    silo.ConfigureEndpoints(options.ParseAdvertisedIp(), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
                }

                UseRedis(silo, redis, redisPassword, tls);
            }

            // After every storage provider: a stalled or failing store fails fast instead of holding calls.
            silo.AddStorageGate();
        });

        builder.Services.AddLedger(builder.Configuration);
        builder.Services.AddBlobs(builder.Configuration);
        var instance = options.KubernetesHosting ? Environment.GetEnvironmentVariable("POD_NAME")! : $"{options.AdvertisedIp}:{options.SiloPort}";
        SiloTelemetry.Add(builder.Services, builder.Configuration, instance, prometheus: http.Port > 0);
        SiloHttpEndpoints.AddServices(builder, http);
        DashboardEndpoints.AddServices(builder, dashboard, http);
        builder.Services.AddHostedService<DrainBeforeHttpStops>();
        builder.Services.AddHostedService<SiloLifecycleLog>();
        builder.Services.AddSingleton(new SiloLifecycleLog.Facts(
            options,
            string.IsNullOrWhiteSpace(redis) ? null : RedactedEndpoint(redis),
            tls is not null,
            PasswordInConnectionString: !string.IsNullOrWhiteSpace(redis) && !string.IsNullOrEmpty(ConfigurationOptions.Parse(redis).Password),
            RedisTls: !string.IsNullOrWhiteSpace(redis) && ConfigurationOptions.Parse(redis).Ssl));
        var app = builder.Build();
        SiloHttpEndpoints.Map(app, http);
        DashboardEndpoints.Map(app, dashboard, http);
        return app;
    }

    /// <summary>The "Http" section, falling back to the older Telemetry:PrometheusPort / PrometheusHost names.</summary>
    private static SiloHttpOptions HttpOptions(IConfiguration configuration)
    {
        var http = configuration.GetSection(SiloHttpOptions.Section).Get<SiloHttpOptions>() ?? new SiloHttpOptions();
        var telemetry = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (configuration[$"{SiloHttpOptions.Section}:Port"] is null && telemetry.PrometheusPort > 0)
        {
            http.Port = telemetry.PrometheusPort;
        }

        if (configuration[$"{SiloHttpOptions.Section}:BindAddress"] is null && configuration[$"{TelemetryOptions.Section}:PrometheusHost"] is not null)
        {
            http.BindAddress = telemetry.PrometheusHost;
        }

        return http;
    }

    /// <summary>
    /// One developer silo without Redis: localhost clustering and in-memory storage and reminders.
    /// Nothing survives a restart, and no second silo can join it.
    /// </summary>
    private static void UseEmbeddedDefault(ISiloBuilder silo, SiloHostOptions options)
    {
        silo.UseLocalhostClustering(siloPort: options.SiloPort, gatewayPort: options.GatewayPort);
        silo.AddMemoryGrainStorage(LedgerStorage.Name);
        silo.AddMemoryGrainStorage(BlobStorage.Name);
        silo.UseInMemoryReminderService();
    }

    /// <summary>
    /// The silo's TLS credentials, or null for plain TCP. With Redis (a real cluster) and nothing configured the start
    /// fails: a cluster whose links are silently plain is the mistake to prevent. A lone embedded silo stays plain,
    /// the developer default, with a warning in the start banner.
    /// </summary>
    private static MutualTlsCredentials? LoadTls(IConfiguration configuration, bool clustered)
    {
        var tls = configuration.GetSection(MutualTlsOptions.Section).Get<MutualTlsOptions>() ?? new MutualTlsOptions();
        try
        {
            return MutualTlsCredentials.IsWanted(tls, requireUnlessChosen: clustered, "A silo on Redis clustering")
                ? MutualTlsCredentials.Load(tls, TlsPeerRole.Silo)
                : null;
        }
        catch (MutualTlsConfigurationException error)
        {
            throw new SiloConfigurationException(error.Message);
        }
    }

    private static void UseRedis(ISiloBuilder silo, string connectionString, string? password, MutualTlsCredentials? tls)
    {
        var redis = ConfigurationOptions.Parse(connectionString);
        if (password is not null)
        {
            redis.Password = password;
        }

        if (redis.Ssl && tls is not null)
        {
            // Redis over TLS (ssl=true): checked against the cluster's own CA, not the system store, and shown this
            // silo's certificate for a server with tls-auth-clients.
            redis.CertificateValidation += tls.ValidateServerCertificate;
            redis.CertificateSelection += tls.SelectClientCertificate;
        }

        silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
        // Orleans' binary serializer rather than the JSON default: it keeps private and polymorphic members, and
        // writes less for every state change.
        silo.AddRedisGrainStorage(LedgerStorage.Name, options => options.Configure<Serializer>((o, serializer) =>
        {
            o.ConfigurationOptions = redis.Clone();
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));

        // Uploads: the same Redis, a provider of their own so that clearing an abandoned upload's chunks deletes
        // their keys instead of leaving empty records behind.
        silo.AddRedisGrainStorage(BlobStorage.Name, options => options.Configure<Serializer>((o, serializer) =>
        {
            o.ConfigurationOptions = redis.Clone();
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            o.DeleteStateOnClear = true;
        }));
        silo.UseRedisReminderService(o => o.ConfigurationOptions = redis.Clone());
    }

    private static void Validate(SiloHostOptions options, SiloHttpOptions http, SiloDashboardOptions dashboard)
    {
        ValidateSection(options, SiloHostOptions.Section);
        ValidateSection(http, SiloHttpOptions.Section);
        ValidateSection(dashboard, SiloDashboardOptions.Section);

        if (options.SiloPort == options.GatewayPort)
        {
            throw new SiloConfigurationException($"Silo:SiloPort and Silo:GatewayPort must differ (both {options.SiloPort}).");
        }

        if (options.ShutdownTimeout <= TimeSpan.Zero)
        {
            throw new SiloConfigurationException($"Silo:ShutdownTimeout must be positive (was {options.ShutdownTimeout}).");
        }

        if (http.Port != 0 && (http.Port == options.SiloPort || http.Port == options.GatewayPort))
        {
            throw new SiloConfigurationException($"Http:Port ({http.Port}) must differ from Silo:SiloPort and Silo:GatewayPort.");
        }

        options.ParseAdvertisedIp();
        http.ParseBindAddress();
        dashboard.Validate(http, options.SiloPort, options.GatewayPort);
    }

    private static void ValidateSection(object options, string section)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new SiloConfigurationException(
                "Invalid silo configuration: " + string.Join("; ", results.Select(r => $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")));
        }
    }

    /// <summary>The Redis endpoints without the password, for logs.</summary>
    private static string RedactedEndpoint(string connectionString) =>
        string.Join(",", ConfigurationOptions.Parse(connectionString).EndPoints.Select(e => e.ToString()));
}
