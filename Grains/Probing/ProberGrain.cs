using System.Diagnostics;
using System.Diagnostics.Metrics;
using Orleans;
using Orleans.Concurrency;

namespace ReliableRpc.Grains.Probing;

/// <summary>
/// Probes HTTP endpoints. Stateless and reentrant (a stateless worker): probes run side by side. Each request is
/// bound by the per-request timeout and by the call's own token, which the pipeline fires at the call's deadline.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class ProberGrain(IHttpClientFactory httpClients) : Grain, IProberGrain
{
    /// <summary>The meter of the prober's metrics.</summary>
    public const string MeterName = "ReliableRpc.Prober";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Latency = Meter.CreateHistogram(
        "reliablerpc.probe.duration", "s", "Latency of probe requests.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("reliablerpc.probe.failures", description: "Failed probe requests, by status.");

    /// <inheritdoc />
    public async Task<ProbeReport> Probe(ProbeRequest request, CancellationToken cancellationToken)
    {
        if (request.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        var client = httpClients.CreateClient(nameof(ProberGrain));
        var latencies = new List<TimeSpan>(request.Count);
        var failures = new Dictionary<RpcStatus, int>();
        for (var i = 0; i < request.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw DeadlineReached(request, latencies, failures);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(request.PerRequestTimeout);
            var started = Stopwatch.GetTimestamp();
            RpcStatus status;
            try
            {
                using var response = await client.GetAsync(request.Url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                status = HttpStatusMapper.FromStatusCode(response.StatusCode);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                throw DeadlineReached(request, latencies, failures);
            }
            catch (Exception exception)
            {
                status = HttpStatusMapper.FromException(exception);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            Latency.Record(elapsed.TotalSeconds);
            if (status == RpcStatus.OK)
            {
                latencies.Add(elapsed);
            }
            else
            {
                failures[status] = failures.GetValueOrDefault(status) + 1;
                Failures.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));
            }
        }

        return Report(request, latencies, failures);
    }

    private static RpcDeadlineExceededException DeadlineReached(ProbeRequest request, List<TimeSpan> latencies, Dictionary<RpcStatus, int> failures) =>
        new($"the deadline ended the probe; so far: {Report(request, latencies, failures)}");

    private static ProbeReport Report(ProbeRequest request, List<TimeSpan> latencies, Dictionary<RpcStatus, int> failures)
    {
        var sorted = latencies.Order().ToArray();
        return new ProbeReport(
            request.Url,
            request.Count,
            sorted.Length,
            failures,
            sorted.Length == 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)sorted.Average(l => l.Ticks)),
            sorted.Length == 0 ? TimeSpan.Zero : sorted[sorted.Length / 2],
            sorted.Length == 0 ? TimeSpan.Zero : sorted[^1]);
    }
}
