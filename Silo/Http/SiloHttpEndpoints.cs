using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using ReliableRpc.Silo.Health;

namespace ReliableRpc.Silo.Http;

/// <summary>What the silo serves on its HTTP port, and the Kestrel listener behind it.</summary>
public static class SiloHttpEndpoints
{
    /// <summary>Liveness: 200 while the process answers HTTP at all. Nothing else is checked, so a busy or draining silo is not restarted.</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>Readiness: 200 only while the silo is an Active cluster member and not shutting down, 503 otherwise.</summary>
    public const string ReadinessPath = "/ready";

    /// <summary>The Prometheus scrape endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Tag of the health checks that decide readiness.</summary>
    internal const string ReadyTag = "ready";

    /// <summary>Registers Kestrel on the configured address and port, or no HTTP server at all when the port is 0.</summary>
    internal static void AddServices(WebApplicationBuilder builder, SiloHttpOptions options)
    {
        builder.Services.AddSingleton<SiloReadiness>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloReadiness>());
        builder.Services.AddHealthChecks().AddCheck<SiloReadinessCheck>("silo-ready", tags: [ReadyTag]);
        if (options.Port == 0)
        {
            // Registered after WebApplication's Kestrel, so it wins: no socket is opened.
            builder.Services.AddSingleton<IServer, DisabledHttpServer>();
            return;
        }

        // Listen() overrides ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS (the .NET container images set the latter to 8080).
        var address = options.ParseBindAddress();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, options.Port));
    }

    /// <summary>Maps the liveness, readiness and metrics endpoints.</summary>
    internal static void Map(WebApplication app, SiloHttpOptions options)
    {
        if (options.Port == 0)
        {
            return;
        }

        // No check runs for liveness: answering is the proof. Membership trouble is readiness' business; a silo
        // declared dead stops itself, and restarting a slow one would only make it slower.
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
    }
}
