using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using ReliableRpc.Grains.Capacity;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Shedding.Internal;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Pipeline;

/// <summary>
/// The adaptive shedding limit on a one-silo cluster of its own, with client retries off so that each refusal reaches
/// the test as it is, and the client's circuit breaker off so that the offered load stays a flood (with it, the circuit
/// opens on so many refusals and the client stops sending, which is its own way to shed). The limit falls to the
/// capacity of a bottleneck under a flood, and it does not fall when calls are only slow because storage is.
/// </summary>
public sealed class AdaptiveSheddingTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterFixture.StartAsync(1, new Dictionary<string, string>
    {
        ["ReliableRpc:Retries:Enabled"] = "false",
        ["ReliableRpc:Shedding:Adaptive"] = "true",
        ["ReliableRpc:Shedding:MinConcurrentClientCalls"] = "2",
        ["ReliableRpc:CircuitBreaker:Enabled"] = "false",
    });

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private AdaptiveConcurrencyLimiter Limiter =>
        _cluster.Silos.Cast<InProcessSiloHandle>().First().SiloHost.Services.GetRequiredService<ClientCallGate>().Limiter;

    /// <summary>Keeps <paramref name="inFlight"/> calls running for <paramref name="duration"/>; returns each failure.</summary>
    private static async Task<List<Exception>> Flood(Func<Task> call, int inFlight, TimeSpan duration)
    {
        var failures = new ConcurrentQueue<Exception>();
        var until = DateTime.UtcNow + duration;
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            while (DateTime.UtcNow < until)
            {
                try
                {
                    await call().WaitAsync(Timeout);
                }
                catch (Exception failure)
                {
                    failures.Enqueue(failure);

                    // As a caller honouring the pushback would: a refusal says when to come back.
                    await Task.Delay(failure is RpcException { RetryAfter: { } after } ? after : TimeSpan.FromMilliseconds(50));
                }
            }
        }));
        return [.. failures];
    }

    [Fact]
    public async Task AFloodOnABottleneck_LowersTheLimitToNearItsSlots_AndTheRestAreRefusedBeforeTheyRun()
    {
        // Four slots of 50 ms (80 calls a second) against 200 callers: without a limit each call would queue for 2.5 s.
        var bottleneck = _cluster.Client.GetGrain<IBottleneckGrain>($"{_run}-bottleneck");
        await bottleneck.Configure(new BottleneckPlan(4, TimeSpan.FromMilliseconds(50))).WaitAsync(Timeout);
        for (var i = 0; i < 40; i++)
        {
            await bottleneck.Serve().WaitAsync(Timeout);
        }

        Assert.Equal(1_000, Limiter.Limit);
        var flood = Flood(() => bottleneck.Serve(), inFlight: 200, TimeSpan.FromSeconds(8));

        // The limit over the flood's last 3 s (once it ends, the queue drains and the limit grows back). A window
        // needs 32 calls served, 0.4 s at this capacity, and the probe waits up to 5 s for the first queue to drain.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var limits = new List<int>();
        while (!flood.IsCompleted)
        {
            limits.Add(Limiter.Limit);
            await Task.Delay(100);
        }

        var failures = await flood;
        limits.Sort();
        Assert.InRange(limits[limits.Count / 2], 2, 50);
        // Every failure is the silo's refusal before the call ran, with its pushback.
        Assert.NotEmpty(failures);
        Assert.All(failures, f =>
        {
            var refused = Assert.IsType<RpcException>(f);
            Assert.Equal(RpcStatus.ResourceExhausted, refused.Status);
            Assert.True(refused.NotExecuted, refused.Message);
            Assert.Equal(SheddingOptions.DefaultRetryAfter, refused.RetryAfter);
            Assert.Contains("adaptive", refused.Message, StringComparison.Ordinal);
        });

        // The minimum was measured by a probe at the floor, not taken from a queue: about one service time.
        Assert.InRange(Limiter.MinimumServiceTime!.Value, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task CallsSlowOnlyBecauseStorageIs_DoNotLowerTheLimit()
    {
        var probes = Enumerable.Range(0, 50).Select(i => _cluster.Client.GetGrain<IIdempotencyProbeGrain>($"{_run}-slow-{i}")).ToArray();
        await Task.WhenAll(probes.Select(p => p.Get().WaitAsync(Timeout)));
        for (var i = 0; i < 5; i++)
        {
            // Reads from memory set the minimum: well under a millisecond of silo time each.
            await Task.WhenAll(probes.Select(p => p.Get().WaitAsync(Timeout)));
        }

        // Every write now takes 300 ms: the calls take hundreds of times their minimum, all of it in storage.
        SharedGrainStorage.SlowWrites($"{_run}-slow-", TimeSpan.FromMilliseconds(300));
        var next = 0;
        var failures = await Flood(() =>
        {
            var n = Interlocked.Increment(ref next);
            using (RpcCall.IdempotencyKey($"{_run}-add-{n}"))
            {
                return probes[n % probes.Length].Add(1);
            }
        }, inFlight: 50, TimeSpan.FromSeconds(4));

        Assert.Empty(failures);
        Assert.Equal(1_000, Limiter.Limit);
        Assert.InRange(Limiter.MedianServiceTime!.Value, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
    }
}
