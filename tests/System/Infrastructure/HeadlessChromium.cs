using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>
/// Debian's chromium, headless, driven through the DevTools protocol over a WebSocket: no browser download and no
/// extra package. One page per instance; console errors, uncaught exceptions and failed loads are collected.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    private readonly ChildProcess _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;
    private string? _session;

    private HeadlessChromium(ChildProcess process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Console errors, uncaught exceptions and failed resource loads of the page, in order.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>The browser's executable, or null when chromium is not installed (deploy/test.sh installs it).</summary>
    public static string? Executable =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>Starts the browser with one blank page attached.</summary>
    public static async Task<HeadlessChromium> StartAsync(int width = 1700, int height = 1000)
    {
        var executable = Executable ?? throw new InvalidOperationException("chromium is not installed: run deploy/test.sh (it installs it) or 'apt-get install -y chromium'");
        var profile = Directory.CreateTempSubdirectory("reliablerpc-chromium-").FullName;
        var process = new ChildProcess("chromium", executable,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            $"--user-data-dir={profile}", $"--window-size={width},{height}", "about:blank",
        ]);
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await process.WaitForOutputAsync("DevTools listening on ", TimeSpan.FromSeconds(30));
            var endpoint = DevToolsEndpoint().Match(process.Output).Groups[1].Value;
            await browser._socket.ConnectAsync(new Uri(endpoint), CancellationToken.None).WaitAsync(CommandTimeout);
            browser._receiving = browser.ReceiveAsync();
            var target = await browser.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, session: false);
            var attached = await browser.SendAsync("Target.attachToTarget",
                new JsonObject { ["targetId"] = target.GetProperty("targetId").GetString(), ["flatten"] = true }, session: false);
            browser._session = attached.GetProperty("sessionId").GetString();
            await browser.SendAsync("Runtime.enable");
            await browser.SendAsync("Log.enable");
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Emulation.setDeviceMetricsOverride",
                new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Navigates the page to <paramref name="url"/>.</summary>
    public Task NavigateAsync(string url) => SendAsync("Page.navigate", new JsonObject { ["url"] = url });

    /// <summary>Evaluates <paramref name="expression"/> in the page; its value, as JSON.</summary>
    public async Task<JsonElement?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"{expression} threw: {exception}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value : null;
    }

    /// <summary>Evaluates <paramref name="expression"/> until it returns true; how long that took.</summary>
    public async Task<TimeSpan> WaitUntilAsync(string expression, TimeSpan timeout, string what)
    {
        var clock = global::System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await EvaluateAsync(expression) is { ValueKind: JsonValueKind.True })
            {
                return clock.Elapsed;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s ({expression})");
    }

    /// <summary>Saves a PNG of the viewport as it looks now (beyond the viewport fails on pages whose body has no size, such as the dashboard's).</summary>
    public async Task ScreenshotAsync(string path)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        _socket.Dispose();
        await _process.DisposeAsync();
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or TimeoutException or ObjectDisposedException)
        {
        }

        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // The browser may still hold a file for a moment; the profile is in the temp folder.
        }
    }

    private async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null, bool session = true)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (session)
        {
            message["sessionId"] = _session;
        }

        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await _send.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _send.Release();
        }

        return await reply.Task.WaitAsync(CommandTimeout);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            var received = await _socket.ReceiveAsync(buffer, _stop.Token);
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }

            using (var document = JsonDocument.Parse(message.ToArray()))
            {
                Dispatch(document.RootElement);
            }

            message.SetLength(0);
        }
    }

    private void Dispatch(JsonElement root)
    {
        if (root.TryGetProperty("id", out var id))
        {
            if (_pending.TryRemove(id.GetInt32(), out var reply))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    reply.TrySetException(new InvalidOperationException($"DevTools: {error}"));
                }
                else
                {
                    reply.TrySetResult(root.GetProperty("result").Clone());
                }
            }

            return;
        }

        var parameters = root.TryGetProperty("params", out var p) ? p : default;
        switch (root.GetProperty("method").GetString())
        {
            case "Runtime.consoleAPICalled" when parameters.GetProperty("type").GetString() is "error" or "assert":
                _errors.Enqueue("console: " + string.Join(" ", parameters.GetProperty("args").EnumerateArray()
                    .Select(a => a.TryGetProperty("value", out var v) ? v.ToString() : a.TryGetProperty("description", out var d) ? d.GetString() : "?")));
                break;
            case "Runtime.exceptionThrown":
                _errors.Enqueue("exception: " + parameters.GetProperty("exceptionDetails"));
                break;
            case "Log.entryAdded" when parameters.GetProperty("entry").GetProperty("level").GetString() == "error":
                var entry = parameters.GetProperty("entry");
                _errors.Enqueue($"log: {entry.GetProperty("text").GetString()} {(entry.TryGetProperty("url", out var url) ? url.GetString() : "")}");
                break;
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsEndpoint();
}
