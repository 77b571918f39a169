using ReliableRpc.Client.Load;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ReliableRpc.Client.Output;

/// <summary>
/// What a load run looks like right now, refreshed each second: calls/s, p50/p99 and failures of the last second,
/// failures by status so far, retries and the circuit state of each grain interface. Pipeline figures come from
/// the pipeline's own metrics (<see cref="PipelineMeterWatch"/>). On a terminal the view redraws in place; when
/// the output is redirected it prints one line a second.
/// </summary>
internal sealed class LiveLoadView(LoadStats stats) : IDisposable
{
    private readonly PipelineMeterWatch _meters = new();
    private long _lastRetries;

    /// <summary>Shows the view until <paramref name="load"/> ends, then once more with the final figures.</summary>
    public async Task ShowUntilAsync(Task load)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            while (!await EndedWithinASecondAsync(load))
            {
                AnsiConsole.MarkupLine(Line(Take()));
            }

            return;
        }

        await AnsiConsole.Live(Render(Take())).AutoClear(false).StartAsync(async context =>
        {
            while (!await EndedWithinASecondAsync(load))
            {
                context.UpdateTarget(Render(Take()));
            }

            context.UpdateTarget(Render(Take()));
        });
    }

    private static async Task<bool> EndedWithinASecondAsync(Task load) =>
        await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(1))) == load;

    private Snapshot Take()
    {
        var retries = _meters.Count(ReliableRpcDiagnostics.Retries, "counted") + _meters.Count(ReliableRpcDiagnostics.Retries, "transparent");
        var snapshot = new Snapshot(
            stats.TakeInterval(),
            retries - _lastRetries,
            retries,
            _meters.Count(ReliableRpcDiagnostics.Calls),
            _meters.Count(ReliableRpcDiagnostics.Attempts),
            _meters.Count(ReliableRpcDiagnostics.BudgetExhausted),
            _meters.Count(ReliableRpcDiagnostics.BreakerRejections) + _meters.Count(ReliableRpcDiagnostics.Shed),
            _meters.BreakerStates().OrderBy(b => b.Key, StringComparer.Ordinal).ToArray());
        _lastRetries = retries;
        return snapshot;
    }

    private string Line(Snapshot now)
    {
        var failed = now.Second.Failed == 0 ? "[green]0 failed[/]" : $"[red]{now.Second.Failed} failed[/]";
        var open = now.Breakers.Where(b => b.Value != 0).Select(b => $"{Short(b.Key)} {StateName(b.Value)}").ToArray();
        return $"[grey]{stats.Elapsed.TotalSeconds,5:0}s[/] {now.Second.Calls,6}/s  {failed}  p50 {Ms(now.Second.P50)}  p99 {Ms(now.Second.P99)}  "
            + $"in flight {stats.InFlight,3}  retries {now.RetriesLastSecond}/s  total {stats.Calls:N0} calls, {stats.Failed:N0} failed"
            + (open.Length == 0 ? "" : Markup.Escape($"  circuits: {string.Join(", ", open)}"));
    }

    private IRenderable Render(Snapshot now)
    {
        var second = new Table().Title($"last second (at {stats.Elapsed.TotalSeconds:0} s)").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        second.AddRow("calls/s", now.Second.Calls.ToString("N0"));
        second.AddRow("failed", now.Second.Failed == 0 ? "[green]0[/]" : $"[red]{now.Second.Failed:N0}[/]");
        second.AddRow("p50", Ms(now.Second.P50));
        second.AddRow("p99", Ms(now.Second.P99));
        second.AddRow("in flight", stats.InFlight.ToString("N0"));
        second.AddRow("retries/s", now.RetriesLastSecond.ToString("N0"));

        var total = new Table().Title("so far").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        total.AddRow("calls", stats.Calls.ToString("N0"));
        total.AddRow("failed", stats.Failed == 0 ? "[green]0[/]" : $"[red]{stats.Failed:N0}[/]");
        foreach (var (kind, count) in stats.FailuresByKind.OrderByDescending(f => f.Value))
        {
            total.AddRow(Markup.Escape($"  {kind}"), count.ToString("N0"));
        }

        total.AddRow("attempts / call", now.Calls == 0 ? "-" : $"{(double)now.Attempts / now.Calls:0.000}");
        total.AddRow("retries", now.Retries.ToString("N0"));
        total.AddRow("retry budget refusals", now.BudgetRefusals.ToString("N0"));
        total.AddRow("rejected (circuit, shed)", now.Rejected.ToString("N0"));

        var circuits = new Table().Title("circuits").AddColumn("grain interface").AddColumn("state");
        foreach (var (service, state) in now.Breakers)
        {
            circuits.AddRow(Markup.Escape(Short(service)), state switch { 0 => "[green]closed[/]", 1 => "[yellow]half open[/]", _ => "[red]open[/]" });
        }

        return new Columns(second, total, circuits);
    }

    private static string StateName(int state) => state switch { 0 => "closed", 1 => "half open", _ => "open" };

    private static string Short(string service) => service[(service.LastIndexOf('.') + 1)..];

    private static string Ms(TimeSpan value) => value.TotalMilliseconds < 10 ? $"{value.TotalMilliseconds:0.00} ms" : $"{value.TotalMilliseconds:N0} ms";

    public void Dispose() => _meters.Dispose();

    private readonly record struct Snapshot(
        LoadInterval Second,
        long RetriesLastSecond,
        long Retries,
        long Calls,
        long Attempts,
        long BudgetRefusals,
        long Rejected,
        KeyValuePair<string, int>[] Breakers);
}
