using ReliableRpc.Tls;

namespace ReliableRpc.Client.Connection;

/// <summary>
/// Where the cluster is and how long to try reaching it. <paramref name="Tls"/>: the client's certificate files (null
/// or nothing set: plain TCP, refused with Redis unless <see cref="MutualTlsOptions.Enabled"/> is false).
/// <paramref name="RedisPassword"/>: the membership Redis's password, kept out of the connection string.
/// <paramref name="ConfigurePipeline"/>: changes to the pipeline's options past <paramref name="Pipeline"/> (tests and
/// benchmarks: a control setup without a retry budget, say).
/// </summary>
internal sealed record ClusterConnectionOptions(
    string? Redis,
    IReadOnlyList<int> GatewayPorts,
    string ClusterId,
    string ServiceId,
    TimeSpan ConnectTimeout,
    bool Verbose,
    bool Pipeline = true,
    int MetricsPort = 0,
    bool ConsoleMetrics = false,
    MutualTlsOptions? Tls = null,
    string? RedisPassword = null,
    Action<ReliableRpcOptions>? ConfigurePipeline = null);
