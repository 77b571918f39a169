using System.Diagnostics;
using System.Net;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Health;

/// <summary>A real silo process on a real redis-server: liveness and readiness on its HTTP port, through a graceful stop.</summary>
public sealed class ReadinessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_ReadinessTurnsNotReadyDuringTheDrain_WhileTheProcessStillAnswers()
    {
        await using var redis = await RedisServer.StartAsync();
        var httpPort = FreePorts.Next();
        await using var silo = await SiloProcess.StartAsync(redis, $"health-{Guid.NewGuid():N}"[..16], TestCertificates.Cluster, null, null, "--http-port", httpPort.ToString());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };

        // "Application started" is printed once the silo joined and Kestrel listens.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/ready"));

        var clock = Stopwatch.StartNew();
        var stop = silo.StopGracefullyAsync();
        TimeSpan? firstNotReady = null, lastNotReady = null, lastLive = null;
        var readyAfterNotReady = 0;
        var timeline = new List<string>();
        while (!stop.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(45))
        {
            var ready = await TryStatusAsync(http, "/ready");
            var at = clock.Elapsed;
            timeline.Add($"{at.TotalMilliseconds:0}:{(int?)ready}");
            if (ready == HttpStatusCode.ServiceUnavailable)
            {
                firstNotReady ??= at;
                lastNotReady = at;
                if (await TryStatusAsync(http, "/healthz") == HttpStatusCode.OK)
                {
                    lastLive = clock.Elapsed;
                }
            }
            else if (ready == HttpStatusCode.OK && firstNotReady is not null)
            {
                readyAfterNotReady++;
            }

            await Task.Delay(20);
        }

        var stoppedIn = await stop.WaitAsync(TimeSpan.FromSeconds(60));
        var polls = $"polls (ms:status): {string.Join(" ", timeline)}";
        output.WriteLine($"SIGTERM → first 503 on /ready {Ms(firstNotReady)}, last 503 {Ms(lastNotReady)}, last /healthz 200 during the drain {Ms(lastLive)}, process exited after {stoppedIn.TotalMilliseconds:0} ms");

        // 503 (an answer, so the process was alive) from the start of the stop, never ready again, and liveness still
        // 200 meanwhile: the drain (clients told to leave, grains deactivated, membership left) runs behind a
        // "not ready" endpoint, not behind a closed port.
        Assert.True(firstNotReady is not null, $"/ready never answered 503 during the stop (exited after {stoppedIn.TotalMilliseconds:0} ms); {polls}\n{silo.Output}");
        Assert.True(readyAfterNotReady == 0, $"/ready answered 200 {readyAfterNotReady} times after its first 503; {polls}");
        Assert.True(lastLive is not null, $"/healthz did not answer 200 while /ready answered 503; {polls}");
        Assert.Contains("Readiness reports not ready from now on", silo.Output);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>The status, or null when nothing answers (the listener is closed).</summary>
    private static async Task<HttpStatusCode?> TryStatusAsync(HttpClient http, string path)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var response = await http.GetAsync(path, cts.Token);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static string Ms(TimeSpan? t) => t is { } value ? $"{value.TotalMilliseconds:0} ms" : "never";
}
