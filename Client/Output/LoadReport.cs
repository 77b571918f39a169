using ReliableRpc.Client.Load;
using Spectre.Console;

namespace ReliableRpc.Client.Output;

/// <summary>Renders a load run's figures.</summary>
internal static class LoadReport
{
    /// <summary>A one-line progress update.</summary>
    public static void Progress(LoadStats stats, int inFlight)
    {
        var failures = stats.Failed == 0 ? "[green]0 failed[/]" : $"[red]{stats.Failed} failed[/]";
        AnsiConsole.MarkupLine(
            $"[grey]{stats.Elapsed.TotalSeconds,5:0}s[/] {stats.Calls,8} calls  {stats.Calls / Math.Max(1, stats.Elapsed.TotalSeconds),6:0}/s  {failures}  in flight {inFlight,3}  p99 {Ms(stats.Percentile(99))}");
    }

    /// <summary>The summary table; <paramref name="extra"/> rows are appended (e.g. money before/after).</summary>
    public static Table Summary(string title, LoadStats stats, TimeSpan duration, IEnumerable<(string Name, string Value)>? extra = null)
    {
        var table = new Table().Title(title).AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("calls", stats.Calls.ToString("N0"));
        table.AddRow("calls/s", (stats.Calls / Math.Max(duration.TotalSeconds, 0.001)).ToString("N0"));
        table.AddRow("succeeded", stats.Succeeded.ToString("N0"));
        table.AddRow("failed", stats.Failed == 0 ? "[green]0[/]" : $"[red]{stats.Failed:N0}[/]");
        foreach (var (kind, count) in stats.FailuresByKind.OrderByDescending(f => f.Value))
        {
            table.AddRow(Markup.Escape($"  {kind}"), $"{count:N0}");
        }

        table.AddRow("p50", Ms(stats.Percentile(50)));
        table.AddRow("p99", Ms(stats.Percentile(99)));
        table.AddRow("p99.9", Ms(stats.Percentile(99.9)));
        table.AddRow("max", Ms(stats.Max));
        table.AddRow("longest stall", Ms(stats.LongestStall));
        foreach (var (name, value) in extra ?? [])
        {
            table.AddRow(Markup.Escape(name), value);
        }

        return table;
    }

    /// <summary>One sample message per failure kind, so a reader sees what went wrong.</summary>
    public static void FailureSamples(LoadStats stats)
    {
        foreach (var (kind, sample) in stats.FailureSamples)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]{kind}:[/] {Truncate(sample, 200)}");
        }
    }

    private static string Ms(TimeSpan value) => value.TotalMilliseconds < 10
        ? $"{value.TotalMilliseconds:0.00} ms"
        : $"{value.TotalMilliseconds:N0} ms";

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
