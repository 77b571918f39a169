using System.CommandLine;
using System.Diagnostics;
using ReliableRpc.Client.Ledger;
using ReliableRpc.Client.Load;
using ReliableRpc.Client.Output;
using Spectre.Console;

namespace ReliableRpc.Client.Commands;

/// <summary>
/// <c>demo</c>: opens accounts, runs transfer load, runs a disruption script (e.g. a rolling restart) in the
/// middle, then drives every transfer to its end and reconciles every account.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var duration = CommonOptions.Duration("--duration", "How long to run the load.", TimeSpan.FromSeconds(60));
        var during = new Option<FileInfo?>("--during") { Description = "A script to run while the load runs (e.g. deploy/local/rolling-restart.sh)." };
        var duringAt = CommonOptions.Duration("--during-at", "When to start the --during script.", TimeSpan.FromSeconds(15));
        var rate = CommonOptions.AtLeast("--rate", "Target calls per second.", 300, 1);
        var accounts = CommonOptions.AtLeast("--accounts", "Number of accounts.", 500, 2);
        var command = new Command("demo", "Transfers under load with a disruption in the middle; then reconcile every account.")
        {
            duration, during, duringAt, rate, LoadCommand.Concurrency, accounts, LoadCommand.Seed, ReconcileCommand.Manifest,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, ct, async (connection, token) =>
        {
            var options = new LoadOptions(parse.GetValue(rate), parse.GetValue(LoadCommand.Concurrency), parse.GetValue(duration));
            var ledger = new LedgerWorkload(connection.Client, $"demo-{DateTime.UtcNow:HHmmss}", parse.GetValue(accounts), 10_000, parse.GetValue(LoadCommand.Seed));

            AnsiConsole.MarkupLineInterpolated($"[bold]demo[/]: opening {ledger.AccountIds.Count} accounts with {ledger.OpeningBalance} each…");
            await ledger.OpenAccountsAsync(options.Concurrency, token);
            var before = await ledger.TotalMoneyAsync(token);

            AnsiConsole.MarkupLineInterpolated($"transfers at {options.Rate}/s, {options.Concurrency} in flight, for {options.Duration.TotalSeconds:0} s");
            using var trace = new RetriedCallTrace();
            var stats = new LoadStats();
            var load = LoadRunner.RunAsync(options, ledger.TransferAsync, stats, (s, inFlight) =>
            {
                if ((int)s.Elapsed.TotalSeconds % 5 == 0)
                {
                    LoadReport.Progress(s, inFlight);
                }
            }, token);
            var script = parse.GetValue(during) is { } file
                ? RunScriptAsync(file, parse.GetValue(duringAt), token)
                : Task.FromResult(0);
            await Task.WhenAll(load, script);

            AnsiConsole.MarkupLine("load finished; driving every transfer to its end and reconciling every account…");
            var audit = await LedgerAudit.RunAsync(connection.Client, ledger.AccountIds, ledger.Transfers, token);
            var verdict = audit.Reconciles ? "[green]every account reconciles[/]" : $"[red]{audit.Discrepancies.Count} discrepancies[/]";
            AnsiConsole.Write(LoadReport.Summary("demo: transfers", stats, options.Duration,
            [
                ("disruption script", parse.GetValue(during) is null ? "none" : script.Result == 0 ? "[green]ok[/]" : $"[red]exit {script.Result}[/]"),
                ("transfers completed / failed", $"{audit.Completed:N0} / {audit.Failed:N0}"),
                ("unfinished, resumed by audit", $"{audit.Resumed:N0}"),
                ("money before", before.ToString("N0")),
                ("money after", audit.TotalMoney == before ? $"[green]{audit.TotalMoney:N0}[/]" : $"[red]{audit.TotalMoney:N0}[/]"),
                ("reconciliation", verdict),
            ]));
            LoadReport.FailureSamples(stats);
            trace.Print();
            ReconcileCommand.Print(audit);
            if (parse.GetValue(ReconcileCommand.Manifest) is { } manifest)
            {
                await RunManifest.Of(ledger).WriteAsync(manifest, token);
            }

            return audit.Reconciles && audit.TotalMoney == before && script.Result == 0 ? 0 : CommandRunner.CallFailed;
        }));
        return command;
    }

    private static async Task<int> RunScriptAsync(FileInfo script, TimeSpan startAfter, CancellationToken cancellationToken)
    {
        if (!script.Exists)
        {
            throw new FileNotFoundException($"the --during script {script.FullName} does not exist");
        }

        await Task.Delay(startAfter, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"[yellow]starting {script.Name}[/]");
        using var process = Process.Start(new ProcessStartInfo("bash", [script.FullName])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"[yellow]{script.Name} finished (exit {process.ExitCode})[/]");
        return process.ExitCode;

        static void Echo(string? line)
        {
            if (line is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]  | {line}[/]");
            }
        }
    }
}
