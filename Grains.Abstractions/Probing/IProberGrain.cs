using Orleans;

namespace ReliableRpc.Grains.Probing;

/// <summary>
/// The primer's exercise: probes an HTTP endpoint a number of times and reports the latencies. Its requests obey
/// the call's deadline: a slow endpoint ends the probe at the deadline with DeadlineExceeded, never later.
/// </summary>
[Alias("ReliableRpc.Probing.IProberGrain")]
public interface IProberGrain : IGrainWithStringKey
{
    /// <summary>Probes <see cref="ProbeRequest.Url"/>; a probe only reads, so it is safe to repeat.</summary>
    [Idempotent]
    [Alias("Probe")]
    Task<ProbeReport> Probe(ProbeRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What to probe.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Probing.ProbeRequest")]
public sealed record ProbeRequest(
    [property: Id(0)] string Url,
    [property: Id(1)] int Count,
    [property: Id(2)] TimeSpan PerRequestTimeout)
{
    /// <summary>The most requests one probe may make.</summary>
    public const int MaxCount = 1_000;

    /// <summary>Checks the request; the message says what is wrong. Used by the client before calling, and by the grain.</summary>
    public string? Problem() =>
        !Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            ? $"'{Url}' is not an absolute http or https URL"
            : Count is < 1 or > MaxCount ? $"count must be between 1 and {MaxCount} (was {Count})"
            : PerRequestTimeout <= TimeSpan.Zero ? $"the per-request timeout must be positive (was {PerRequestTimeout})"
            : null;
}

/// <summary>What a probe found.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Probing.ProbeReport")]
public sealed record ProbeReport(
    [property: Id(0)] string Url,
    [property: Id(1)] int Requested,
    [property: Id(2)] int Succeeded,
    [property: Id(3)] IReadOnlyDictionary<RpcStatus, int> FailuresByStatus,
    [property: Id(4)] TimeSpan Average,
    [property: Id(5)] TimeSpan Median,
    [property: Id(6)] TimeSpan Max)
{
    /// <summary>Requests that ended (succeeded or failed).</summary>
    public int Completed => Succeeded + FailuresByStatus.Values.Sum();

    /// <summary>One line for a person.</summary>
    public override string ToString() =>
        $"{Url}: {Completed}/{Requested} probes, {Succeeded} ok" +
        (FailuresByStatus.Count == 0 ? "" : ", failed: " + string.Join(", ", FailuresByStatus.Select(f => $"{f.Value} {f.Key}"))) +
        $"; latency avg {Average.TotalMilliseconds:0.0} ms, p50 {Median.TotalMilliseconds:0.0} ms, max {Max.TotalMilliseconds:0.0} ms";
}
