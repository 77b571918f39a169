using System.CommandLine;
using System.CommandLine.Parsing;
using ReliableRpc.Client.Connection;
using ReliableRpc.Tls;

namespace ReliableRpc.Client.Commands;

/// <summary>The options every command shares: where the cluster is.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Redis = new("--redis")
    {
        Description = "Redis connection string of the cluster's membership (StackExchange.Redis syntax). Default: $RELIABLERPC_REDIS; without it, a localhost gateway.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RELIABLERPC_REDIS"),
    };

    public static readonly Option<int[]> Gateways = new("--gateway")
    {
        Description = "Gateway port(s) on localhost, when not using Redis.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [30000],
    };

    public static readonly Option<string> ClusterId = new("--cluster-id")
    {
        Description = "Cluster id.",
        Recursive = true,
        DefaultValueFactory = _ => "reliablerpc",
    };

    public static readonly Option<string> ServiceId = new("--service-id")
    {
        Description = "Service id (keys the cluster's membership in Redis).",
        Recursive = true,
        DefaultValueFactory = _ => "reliablerpc",
    };

    public static readonly Option<TimeSpan> ConnectTimeout = Duration("--connect-timeout", "How long to try reaching the cluster before giving up.", TimeSpan.FromSeconds(10), recursive: true);

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Show the Orleans client's logs on stderr.",
        Recursive = true,
    };

    public static readonly Option<bool> Plain = new("--plain")
    {
        Description = "Call without the resilience pipeline (plain Orleans), to compare.",
        Recursive = true,
    };

    public static readonly Option<int> MetricsPort = new("--metrics-port")
    {
        Description = "Serve this client's metrics for Prometheus on http://127.0.0.1:PORT/metrics (e.g. during load).",
        Recursive = true,
    };

    public static readonly Option<bool> ConsoleMetrics = new("--console-metrics")
    {
        Description = "Print this client's metrics to the console every few seconds.",
        Recursive = true,
    };

    public static readonly Option<string?> TlsCertificate = new("--tls-cert")
    {
        Description = "This client's certificate for mutual TLS: PEM (with --tls-key) or PFX (password in $RELIABLERPC_TLS_PASSWORD). Default: $RELIABLERPC_TLS_CERT.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RELIABLERPC_TLS_CERT"),
    };

    public static readonly Option<string?> TlsKey = new("--tls-key")
    {
        Description = "The PEM private key of --tls-cert. Default: $RELIABLERPC_TLS_KEY.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RELIABLERPC_TLS_KEY"),
    };

    public static readonly Option<string?> TlsCa = new("--tls-ca")
    {
        Description = "The cluster's CA certificate (PEM): gateways must present a silo certificate it issued. Default: $RELIABLERPC_TLS_CA.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RELIABLERPC_TLS_CA"),
    };

    public static readonly Option<bool> PlainTcp = new("--plain-tcp")
    {
        Description = "Connect over plain TCP, without TLS (only to a cluster started with --plain-tcp).",
        Recursive = true,
    };

    public static readonly Option<string?> RedisPasswordFile = new("--redis-password-file")
    {
        Description = "File holding the membership Redis's password. Default: $RELIABLERPC_REDIS_PASSWORD_FILE; the password itself may be in $RELIABLERPC_REDIS_PASSWORD.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RELIABLERPC_REDIS_PASSWORD_FILE"),
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(TlsCertificate);
        root.Options.Add(TlsKey);
        root.Options.Add(TlsCa);
        root.Options.Add(PlainTcp);
        root.Options.Add(RedisPasswordFile);
        root.Options.Add(MetricsPort);
        root.Options.Add(ConsoleMetrics);
        root.Options.Add(Plain);
        root.Options.Add(Redis);
        root.Options.Add(Gateways);
        root.Options.Add(ClusterId);
        root.Options.Add(ServiceId);
        root.Options.Add(ConnectTimeout);
        root.Options.Add(Verbose);
    }

    public static ClusterConnectionOptions Connection(ParseResult result) => new(
        result.GetValue(Redis),
        result.GetValue(Gateways) ?? [30000],
        result.GetValue(ClusterId)!,
        result.GetValue(ServiceId)!,
        result.GetValue(ConnectTimeout),
        result.GetValue(Verbose),
        Pipeline: !result.GetValue(Plain),
        MetricsPort: result.GetValue(MetricsPort),
        ConsoleMetrics: result.GetValue(ConsoleMetrics),
        Tls: new MutualTlsOptions
        {
            Enabled = result.GetValue(PlainTcp) ? false : null,
            CertificatePath = result.GetValue(TlsCertificate),
            KeyPath = result.GetValue(TlsKey),
            CaPath = result.GetValue(TlsCa),
            CertificatePassword = Environment.GetEnvironmentVariable("RELIABLERPC_TLS_PASSWORD"),
        },
        RedisPassword: ReadRedisPassword(result.GetValue(RedisPasswordFile)));

    /// <summary>The Redis password from a file or $RELIABLERPC_REDIS_PASSWORD: never an argument, which any local user can read.</summary>
    private static string? ReadRedisPassword(string? file)
    {
        if (!string.IsNullOrWhiteSpace(file))
        {
            return File.Exists(file)
                ? File.ReadAllText(file).TrimEnd('\r', '\n')
                : throw new MutualTlsConfigurationException($"--redis-password-file: file '{file}' does not exist.");
        }

        var password = Environment.GetEnvironmentVariable("RELIABLERPC_REDIS_PASSWORD");
        return string.IsNullOrEmpty(password) ? null : password;
    }

    /// <summary>A duration option that accepts "500ms", "30s", "2m".</summary>
    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue, bool recursive = false) => new(name)
    {
        Description = $"{description} (e.g. 500ms, 30s, 2m)",
        Recursive = recursive,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = ParseDuration,
    };

    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        var value = DurationParser.Parse(text, out var error);
        if (value is null)
        {
            result.AddError(error!);
            return default;
        }

        return value.Value;
    }

    /// <summary>An integer option that must be at least <paramref name="min"/>.</summary>
    public static Option<int> AtLeast(string name, string description, int defaultValue, int min) 
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < min)
            {
                r.AddError($"{name} must be at least {min}");
            }
        });
        return option;
    }
}
