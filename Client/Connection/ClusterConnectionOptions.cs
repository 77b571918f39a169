namespace ReliableRpc.Client.Connection;

/// <summary>Where the cluster is and how long to try reaching it.</summary>
internal sealed record ClusterConnectionOptions(
    string? Redis,
    IReadOnlyList<int> GatewayPorts,
    string ClusterId,
    string ServiceId,
    TimeSpan ConnectTimeout,
    bool Verbose,
    bool Pipeline = true,
    int MetricsPort = 0,
    bool ConsoleMetrics = false);
