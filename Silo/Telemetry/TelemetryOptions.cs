namespace ReliableRpc.Silo.Telemetry;

/// <summary>Where the silo's telemetry goes. Bound from the "Telemetry" section.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Telemetry";

    /// <summary>
    /// The older name of <c>Http:Port</c>, still honoured when that is not set: the silo's HTTP port, which serves
    /// <c>/metrics</c> (and now the health checks); 0 turns it off. The default value is 0.
    /// </summary>
    public int PrometheusPort { get; set; }

    /// <summary>Writes every span to standard output too (for tests and for looking by hand). The default value is false.</summary>
    public bool ConsoleTraces { get; set; }

    /// <summary>The older name of <c>Http:BindAddress</c>, still honoured when that is not set. The default value is 127.0.0.1.</summary>
    public string PrometheusHost { get; set; } = "127.0.0.1";
}
