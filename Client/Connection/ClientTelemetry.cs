using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ReliableRpc.Client.Connection;

/// <summary>
/// The client's OpenTelemetry: the pipeline's metrics on a Prometheus endpoint or the console when asked, and
/// traces and metrics over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal static class ClientTelemetry
{
    public static void Add(IServiceCollection services, ClusterConnectionOptions options)
    {
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        if (options.MetricsPort <= 0 && !options.ConsoleMetrics && !otlp)
        {
            return;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("reliablerpc-client"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ReliableRpcDiagnostics.Name);
                if (options.MetricsPort > 0)
                {
                    metrics.AddPrometheusHttpListener(o =>
                    {
                        o.Host = "127.0.0.1";
                        o.Port = options.MetricsPort;
                    });
                }

                if (options.ConsoleMetrics)
                {
                    metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000);
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(ReliableRpcDiagnostics.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application").AddOtlpExporter());
        }
    }
}
