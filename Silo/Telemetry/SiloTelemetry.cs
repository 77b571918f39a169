using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ReliableRpc.Silo.Telemetry;

/// <summary>
/// OpenTelemetry for the silo: the pipeline's and Orleans' metrics on a Prometheus scrape endpoint (the HTTP port's /metrics), traces (the
/// pipeline's and Orleans' spans) and metrics over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal static class SiloTelemetry
{
    /// <param name="services">The silo's services.</param>
    /// <param name="configuration">The silo's configuration.</param>
    /// <param name="serviceInstance">This silo's name in the telemetry resource.</param>
    /// <param name="prometheus">Whether the silo's HTTP port serves <c>/metrics</c> (it is on).</param>
    public static void Add(IServiceCollection services, IConfiguration configuration, string serviceInstance, bool prometheus)
    {
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("reliablerpc-silo", serviceInstanceId: serviceInstance))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ReliableRpcDiagnostics.Name, Grains.Probing.ProberGrain.MeterName, "Microsoft.Orleans");
                if (prometheus)
                {
                    // Served by the silo's Kestrel port (SiloHttpEndpoints), next to the health checks.
                    metrics.AddPrometheusExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(ReliableRpcDiagnostics.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }

                if (options.ConsoleTraces)
                {
                    tracing.AddConsoleExporter();
                }
            });
    }
}
