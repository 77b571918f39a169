using System.Diagnostics;
using HdrHistogram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using Orleans.Serialization;
using Orleans.Storage;
using OpenTelemetry.Trace;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tls;

namespace ReliableRpc.Benchmarks;

/// <summary>The figures of one run of one configuration.</summary>
/// <param name="Configuration">The configuration's name.</param>
/// <param name="Repetition">Which repetition (1-based).</param>
/// <param name="CallsPerSecond">Throughput with the harness's calls in flight.</param>
/// <param name="BytesPerCall">Bytes allocated in this process (client and silo) per call, under load.</param>
/// <param name="UnloadedP50">Latency with one call in flight, median.</param>
/// <param name="UnloadedP99">Latency with one call in flight, 99th percentile.</param>
internal sealed record ThroughputResult(string Configuration, int Repetition, double CallsPerSecond, double BytesPerCall, TimeSpan UnloadedP50, TimeSpan UnloadedP99);

/// <summary>
/// One silo and one client in this process, over loopback TCP; <c>concurrency</c> calls in flight for
/// <c>duration</c> after a warm-up, then one call at a time for the unloaded latency.
/// </summary>
internal static class ThroughputRun
{
    public static async Task<ThroughputResult> RunAsync(ClusterConfiguration configuration, int repetition, int concurrency, TimeSpan warmup, TimeSpan duration, int basePort, AllocationSampler? sampler = null)
    {
        var siloPort = basePort;
        var gatewayPort = basePort + 1;
        var exporter = new DroppingExporter();
        using var tracing = configuration.Tracing
            ? Sdk.CreateTracerProviderBuilder()
                .AddSource(ReliableRpcDiagnostics.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(0.1)))
                .AddProcessor(new BatchActivityExportProcessor(exporter))
                .Build()
            : null;
        using var silo = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseOrleans(s =>
            {
                s.UseLocalhostClustering(siloPort, gatewayPort);
                // Orleans' binary storage serializer, as the silo uses with Redis: the memory provider's JSON default
                // would make the keyed workload measure Newtonsoft instead of the pipeline.
                s.AddMemoryGrainStorage(LedgerStorage.Name, o => o.Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
                s.Services.AddLedger(s.Configuration);
                if (configuration.Configure is { } configure)
                {
                    s.AddReliableRpc(configure);
                }

                if (configuration.Tracing)
                {
                    s.AddActivityPropagation();
                }

                if (configuration.Tls)
                {
                    s.UseMutualTls(BenchmarkCertificates.Load(TlsPeerRole.Silo));
                }
            })
            .Build();
        await silo.StartAsync();

        using var client = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseOrleansClient(c =>
            {
                c.UseLocalhostClustering(gatewayPort);
                if (configuration.Configure is { } configure)
                {
                    c.AddReliableRpc(configure);
                }

                if (configuration.Tracing)
                {
                    c.AddActivityPropagation();
                }

                if (configuration.Tls)
                {
                    c.UseMutualTls(BenchmarkCertificates.Load(TlsPeerRole.Client));
                }
            })
            .Build();
        await client.StartAsync();

        var factory = client.Services.GetRequiredService<IClusterClient>();
        Func<int, Task> call = configuration.Workload switch
        {
            Workload.Keyed => Keyed(factory),
            _ => Empty(factory),
        };
        await Drive(call, concurrency, warmup, latency: null);

        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        sampler?.Recording = true;
        var calls = await Drive(call, concurrency, duration, latency: null);
        sampler?.Recording = false;
        var elapsed = clock.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var unloaded = new LongHistogram(1, 60_000_000, 3);
        await Drive(call, concurrency: 1, TimeSpan.FromTicks(duration.Ticks / 2), unloaded);

        await client.StopAsync();
        await silo.StopAsync();
        return new ThroughputResult(configuration.Name, repetition, calls / elapsed.TotalSeconds, (double)allocated / calls,
            TimeSpan.FromMicroseconds(unloaded.GetValueAtPercentile(50)), TimeSpan.FromMicroseconds(unloaded.GetValueAtPercentile(99)));
    }

    private static Func<int, Task> Empty(IClusterClient factory)
    {
        var grains = Enumerable.Range(0, 1_000).Select(i => factory.GetGrain<IChaosGrain>($"bench-{i}")).ToArray();
        return i => grains[i % grains.Length].Count();
    }

    private static Func<int, Task> Keyed(IClusterClient factory)
    {
        var grains = Enumerable.Range(0, 1_000).Select(i => factory.GetGrain<IKeyedCounterGrain>($"bench-{i}")).ToArray();
        return i => grains[i % grains.Length].Add(1);
    }

    private static async Task<long> Drive(Func<int, Task> call, int concurrency, TimeSpan duration, LongHistogram? latency)
    {
        long calls = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var i = worker;
            while (Stopwatch.GetTimestamp() < until)
            {
                var started = Stopwatch.GetTimestamp();
                await call(i);
                latency?.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds));
                i += concurrency;
                Interlocked.Increment(ref calls);
            }
        }));
        return calls;
    }
}
