using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>
/// A process started by a test, with its output kept for diagnosis. Every child is killed when the test
/// process exits, even when a test fails before disposing it.
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }
        };
    }

    public ChildProcess(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        Name = name;
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        Running[_process.Id] = _process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once the process has exited.</summary>
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the output when the process exits first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before printing '{text}':\n{Tail()}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} did not print '{text}' within {timeout}:\n{Tail()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends SIGTERM (a graceful stop) and waits for the exit; returns how long it took.</summary>
    public async Task<TimeSpan> StopGracefullyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, Sigterm);
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{Name} did not stop within {timeout} of SIGTERM:\n{Tail()}");
            }
        }

        Running.TryRemove(_process.Id, out _);
        return clock.Elapsed;
    }

    /// <summary>SIGKILL: no drain, no goodbye.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        Running.TryRemove(_process.Id, out _);
    }

    /// <summary>SIGSTOP (<paramref name="freeze"/>) or SIGCONT: the process stops running without knowing it, as in a VM pause.</summary>
    public void Freeze(bool freeze)
    {
        if (SendSignal(_process.Id, freeze ? Sigstop : Sigcont) != 0)
        {
            throw new InvalidOperationException($"could not send {(freeze ? "SIGSTOP" : "SIGCONT")} to {Name}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the process to exit by itself; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            Running.TryRemove(_process.Id, out _);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public string Tail(int lines = 40) => string.Join('\n', Output.Split('\n').TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private const int Sigterm = 15;
    private const int Sigcont = 18;
    private const int Sigstop = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
