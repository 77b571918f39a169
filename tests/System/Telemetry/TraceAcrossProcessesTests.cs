using System.Collections.Concurrent;
using System.Diagnostics;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.System.Infrastructure;

namespace ReliableRpc.Tests.System.Telemetry;

/// <summary>
/// One trace across three processes: the client here (its spans caught by a listener) and two real silos that
/// print their spans (<c>--console-traces</c>); the trace id joins them.
/// </summary>
public sealed class TraceAcrossProcessesTests : IDisposable
{
    private readonly ConcurrentBag<Activity> _spans = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name is ReliableRpcDiagnostics.Name or "Microsoft.Orleans.Runtime" or "Microsoft.Orleans.Application",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public TraceAcrossProcessesTests()
    {
        _listener.ActivityStopped = _spans.Add;
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task RetriedCall_AndACrossSiloChain_AreEachOneTraceAcrossClientAndSilos()
    {
        await using var cluster = await LocalCluster.StartAsync(2, "--console-traces", "true");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var connection = await cluster.ConnectAsync(timeout.Token);

        // A call that fails twice, then succeeds: one logical span, three attempts, each reaching a silo.
        await connection.Client.GetGrain<IFlakyEchoGrain>("traced").FailFirst(2);
        await connection.Client.GetGrain<IScriptedEchoGrain>("traced").Echo("hi", timeout.Token);
        var logical = Assert.Single(_spans, s => s.Source.Name == ReliableRpcDiagnostics.Name && s.DisplayName == "IScriptedEchoGrain/Echo");
        Assert.Equal(3, _spans.Count(s => s.ParentSpanId == logical.SpanId && s.Source.Name == ReliableRpcDiagnostics.Name));
        await Eventually(() => SpansInSilos(cluster, logical.TraceId).Sum() >= 3, "the silos printed a server span per attempt");

        // A chain whose hops sit on both silos: the same trace id in both silo processes.
        IReadOnlyList<HopObservation>? hops = null;
        for (var i = 0; i < 10 && (hops is null || hops.Select(h => h.Silo).Distinct().Count() < 2); i++)
        {
            hops = await connection.Client.GetGrain<IChaosGrain>($"chain-{i}-a")
                .Relay(new RelayPlan([$"chain-{i}-b", $"chain-{i}-c", $"chain-{i}-d"], LastHopAction.Succeed), timeout.Token);
        }

        Assert.Equal(2, hops!.Select(h => h.Silo).Distinct().Count());
        var chain = _spans.Where(s => s.Source.Name == ReliableRpcDiagnostics.Name && s.DisplayName == "IChaosGrain/Relay").MaxBy(s => s.StartTimeUtc)!;
        await Eventually(() => SpansInSilos(cluster, chain.TraceId).All(n => n > 0), "both silos printed spans of the chain's trace");
    }

    private static int[] SpansInSilos(LocalCluster cluster, ActivityTraceId traceId) =>
        Enumerable.Range(0, cluster.Count)
            .Select(i => cluster.OutputOf(i).Split('\n').Count(line => line.Contains("Activity.TraceId:", StringComparison.Ordinal) && line.Contains(traceId.ToHexString(), StringComparison.Ordinal)))
            .ToArray();

    private static async Task Eventually(Func<bool> condition, string what)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), what);
    }
}
