using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ReliableRpc.Telemetry.Internal;

/// <summary>The pipeline's instruments. Recording into an instrument nobody listens to costs next to nothing.</summary>
internal static class ReliableRpcMeter
{
    public static readonly Meter Meter = new(ReliableRpcDiagnostics.Name);

    public static readonly Counter<long> BreakerTransitions = Meter.CreateCounter<long>(ReliableRpcDiagnostics.BreakerTransitions, description: "Circuit breaker transitions.");

    public static readonly Counter<long> BreakerRejections = Meter.CreateCounter<long>(ReliableRpcDiagnostics.BreakerRejections, description: "Calls rejected by an open circuit.");

    public static readonly Counter<long> Shed = Meter.CreateCounter<long>(ReliableRpcDiagnostics.Shed, description: "Calls shed before dispatch.");

    public static readonly Counter<long> Oversize = Meter.CreateCounter<long>(ReliableRpcDiagnostics.Oversize, description: "Calls refused for their size.");

    public static readonly Counter<long> DedupHits = Meter.CreateCounter<long>(ReliableRpcDiagnostics.DedupHits, description: "Keyed calls answered from a stored outcome.");

    public static KeyValuePair<string, object?> Service(string name) => new(ReliableRpcDiagnostics.ServiceTag, name);

    public static TagList ServiceAnd(string service, string key, string value) => new() { { ReliableRpcDiagnostics.ServiceTag, service }, { key, value } };
}
