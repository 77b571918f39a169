using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tls;

namespace ReliableRpc.Benchmarks;

/// <summary>The figures of one run of one configuration.</summary>
internal sealed record ThroughputResult(string Configuration, int Repetition, double CallsPerSecond, double BytesPerCall);

/// <summary>
/// One silo and one client in this process, over loopback TCP; <c>concurrency</c> calls in flight to an
/// almost empty grain method for <c>duration</c>, after a warm-up.
/// </summary>
internal static class ThroughputRun
{
    public static async Task<ThroughputResult> RunAsync(ClusterConfiguration configuration, int repetition, int concurrency, TimeSpan warmup, TimeSpan duration, int basePort)
    {
        var siloPort = basePort;
        var gatewayPort = basePort + 1;
        using var silo = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseOrleans(s =>
            {
                s.UseLocalhostClustering(siloPort, gatewayPort);
                s.AddMemoryGrainStorage(LedgerStorage.Name);
                s.Services.AddLedger(s.Configuration);
                if (configuration.Configure is { } configure)
                {
                    s.AddReliableRpc(configure);
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

                if (configuration.Tls)
                {
                    c.UseMutualTls(BenchmarkCertificates.Load(TlsPeerRole.Client));
                }
            })
            .Build();
        await client.StartAsync();

        var factory = client.Services.GetRequiredService<IClusterClient>();
        var grains = Enumerable.Range(0, 1_000).Select(i => factory.GetGrain<IChaosGrain>($"bench-{i}")).ToArray();
        await Drive(grains, concurrency, warmup);

        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var calls = await Drive(grains, concurrency, duration);
        var elapsed = clock.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        await client.StopAsync();
        await silo.StopAsync();
        return new ThroughputResult(configuration.Name, repetition, calls / elapsed.TotalSeconds, (double)allocated / calls);
    }

    private static async Task<long> Drive(IChaosGrain[] grains, int concurrency, TimeSpan duration)
    {
        long calls = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var i = worker;
            while (Stopwatch.GetTimestamp() < until)
            {
                await grains[i % grains.Length].Count();
                i += concurrency;
                Interlocked.Increment(ref calls);
            }
        }));
        return calls;
    }
}
