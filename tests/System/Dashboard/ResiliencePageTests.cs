using System.Diagnostics;
using System.Net;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.System.Dashboard;

/// <summary>
/// The operator's view in a real browser (Debian's chromium, headless, over the DevTools protocol): a real silo
/// process on redis-server with mutual TLS, its resilience page and the Orleans Dashboard on its HTTP port.
/// </summary>
public sealed class ResiliencePageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // The row of IChaosGrain's circuit on the page (the service name is the interface's full name).
    private const string ChaosBreaker = "[...document.querySelectorAll('tr[data-service]')].find(r => r.dataset.service.endsWith('IChaosGrain'))?.querySelector('.breaker')?.dataset.state";

    [Fact]
    public async Task BreakerOpensOnTheSilo_PageShowsItOpenWithin10s_ThenClosedAfterRecovery_WithoutConsoleErrors()
    {
        Assert.True(HeadlessChromium.Executable is not null, "chromium is not installed: run deploy/test.sh (it installs it) or 'apt-get install -y chromium'");
        var httpPort = FreePorts.Next();
        await using var cluster = await LocalCluster.StartAsync(1, "--http-port", httpPort.ToString());
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var connection = await cluster.ConnectAsync(cts.Token);
        var grains = connection.Client;
        await using var browser = await HeadlessChromium.StartAsync();
        var page = $"http://127.0.0.1:{httpPort}/resilience";
        var artifacts = Path.Combine(Environment.GetEnvironmentVariable("RELIABLERPC_RUN_DIR") ?? Path.Combine(RepositoryPaths.Root, ".run"), "logs", "screenshots");

        // The Orleans Dashboard, with the link to the resilience page added to it.
        await browser.NavigateAsync($"http://127.0.0.1:{httpPort}/dashboard/");
        await browser.WaitUntilAsync("!!document.querySelector('a[href=\"../resilience\"]')", TimeSpan.FromSeconds(15), "the dashboard links to the resilience page");
        // innerText is as rendered: the dashboard's CSS upper-cases its headings.
        await browser.WaitUntilAsync("document.body.innerText.toLowerCase().includes('active silos')", TimeSpan.FromSeconds(20), "the dashboard shows the cluster");
        var dashboardErrors = browser.Errors.ToList();
        await browser.ScreenshotAsync(Path.Combine(artifacts, "orleans-dashboard.png"));

        await browser.NavigateAsync(page);
        var loaded = await browser.WaitUntilAsync("document.body.dataset.loaded === 'true'", TimeSpan.FromSeconds(15), "the page shows the silo's data");
        output.WriteLine($"page loaded and showed data in {loaded.TotalMilliseconds:0} ms");
        Assert.Equal("Active", (await browser.EvaluateAsync("document.querySelector('#members tbody tr td:nth-child(3)').textContent"))?.GetString());
        Assert.Matches("^[0-9]+ at once$", (await browser.EvaluateAsync("document.getElementById('limit').textContent"))?.GetString());

        // Grain→grain calls from the silo (relay-a → relay-b) that the last hop fails as overloaded: the silo's own
        // circuit to IChaosGrain (a circuit lives with the caller) opens after 20 calls at a failure ratio ≥ 0.5.
        var relay = grains.GetGrain<IChaosGrain>("page-relay-a");
        var failing = new RelayPlan(["page-relay-b"], LastHopAction.Fail, RpcStatus.ResourceExhausted);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        TimeSpan? shownOpen = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && shownOpen is null)
        {
            for (var i = 0; i < 5; i++, sent++)
            {
                await Assert.ThrowsAsync<RpcException>(() => relay.Relay(failing).WaitAsync(Timeout));
            }

            if ((await browser.EvaluateAsync(ChaosBreaker))?.GetString() == "open")
            {
                shownOpen = clock.Elapsed;
            }
        }

        shownOpen ??= clock.Elapsed + await browser.WaitUntilAsync($"{ChaosBreaker} === 'open'", TimeSpan.FromSeconds(10), "the page shows IChaosGrain's circuit open");
        output.WriteLine($"{sent} failing relays (most refused at once by the client's own open circuit); the page showed the circuit open {shownOpen.Value.TotalMilliseconds:0} ms after the first failing call");
        Assert.True(shownOpen < TimeSpan.FromSeconds(10), $"open shown after {shownOpen}");
        Assert.NotEqual("–", (await browser.EvaluateAsync(
            "[...document.querySelectorAll('tr[data-service]')].find(r => r.dataset.service.endsWith('IChaosGrain')).cells[2].textContent"))?.GetString());
        var openShot = Path.Combine(artifacts, "resilience-page-breaker-open.png");
        await browser.ScreenshotAsync(openShot);
        output.WriteLine($"screenshot: {openShot}");

        // Recovery: after the break (5 s) the relays succeed; the half-open probes close both circuits, the client's and the silo's.
        var healthy = new RelayPlan(["page-relay-b"], LastHopAction.Succeed);
        var recovery = Stopwatch.StartNew();
        TimeSpan? shownClosed = null;
        while (recovery.Elapsed < TimeSpan.FromSeconds(30) && shownClosed is null)
        {
            try
            {
                await relay.Relay(healthy).WaitAsync(Timeout);
            }
            catch (Exception open) when (RpcStatus.Of(open) == RpcStatus.Unavailable)
            {
                // A circuit (the client's or the silo's) is still open.
            }

            if ((await browser.EvaluateAsync(ChaosBreaker))?.GetString() == "closed")
            {
                shownClosed = recovery.Elapsed;
            }

            await Task.Delay(200);
        }

        output.WriteLine($"the page showed the circuit closed again {shownClosed?.TotalMilliseconds:0} ms after the faults stopped");
        Assert.True(shownClosed is not null, "the page did not show the circuit closed within 30 s of recovery\n" + cluster.OutputOf(0));
        await browser.ScreenshotAsync(Path.Combine(artifacts, "resilience-page-breaker-closed.png"));

        Assert.True(browser.Errors.Count == 0, "console errors:\n" + string.Join("\n", browser.Errors));
        output.WriteLine($"dashboard page console errors: {dashboardErrors.Count}");
        Assert.True(dashboardErrors.Count == 0, "console errors on the dashboard:\n" + string.Join("\n", dashboardErrors));
    }

    [Fact]
    public async Task NetworkBindWithoutCredential_SiloRefusesToStart_Exit2()
    {
        await using var silo = new ChildProcess("silo-open-dashboard", "dotnet",
            [RepositoryPaths.SiloDll, "--silo-port", FreePorts.Next().ToString(), "--gateway-port", FreePorts.Next().ToString(), "--http-port", FreePorts.Next().ToString(), "--http-address", "0.0.0.0"]);
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the silo did not exit\n" + silo.Output);
        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("without a credential", silo.Output);
    }

    [Fact]
    public async Task NetworkBindWithCredential_PagesAskForIt()
    {
        var httpPort = FreePorts.Next();
        await using var silo = new ChildProcess("silo-guarded-dashboard", "dotnet",
            [RepositoryPaths.SiloDll, "--silo-port", FreePorts.Next().ToString(), "--gateway-port", FreePorts.Next().ToString(), "--http-port", httpPort.ToString(), "--http-address", "0.0.0.0"],
            new Dictionary<string, string> { ["RELIABLERPC_Dashboard__Username"] = "ops", ["RELIABLERPC_Dashboard__Password"] = "s3cret" });
        await silo.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };

        using var anonymous = await http.GetAsync("/resilience/data");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var probe = await http.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/resilience/data");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String("ops:s3cret"u8.ToArray()));
        using var authorized = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
    }
}
