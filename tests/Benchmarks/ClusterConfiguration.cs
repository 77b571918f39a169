namespace ReliableRpc.Benchmarks;

/// <summary>One configuration of the pipeline to measure against the others.</summary>
/// <param name="Name">Short name for the table.</param>
/// <param name="Configure">Adds (or not) the pipeline; null = bare Orleans.</param>
/// <param name="Tls">Mutual TLS on the client↔gateway link (dev certificates made for the run).</param>
internal sealed record ClusterConfiguration(string Name, Action<ReliableRpcOptions>? Configure, bool Tls = false)
{
    public static readonly ClusterConfiguration Bare = new("bare", null);
    public static readonly ClusterConfiguration ReferencedOff = new("library, disabled", o => o.Enabled = false);
    public static readonly ClusterConfiguration Deadlines = new("deadlines only", o =>
    {
        o.Retries.Enabled = false;
        o.CircuitBreaker.Enabled = false;
        o.Shedding.Enabled = false;
        o.MessageSize.Enabled = false;
    });

    public static readonly ClusterConfiguration Full = new("full pipeline (defaults)", _ => { });

    public static readonly ClusterConfiguration FullTls = new("full + mutual TLS", _ => { }, Tls: true);

    public static IReadOnlyList<ClusterConfiguration> All => [Bare, ReferencedOff, Deadlines, Full, FullTls];
}
