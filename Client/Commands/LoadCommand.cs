using System.CommandLine;
using ReliableRpc.Client.Ledger;
using ReliableRpc.Client.Load;
using ReliableRpc.Client.Output;
using Spectre.Console;

namespace ReliableRpc.Client.Commands;

/// <summary><c>load</c>: drives the ledger at a target rate and prints latency percentiles and failures.</summary>
internal static class LoadCommand
{
    public static readonly Option<int> Rate = CommonOptions.AtLeast("--rate", "Target calls per second.", 500, 1);
    public static readonly Option<int> Concurrency = CommonOptions.AtLeast("--concurrency", "Most calls in flight at once.", 50, 1);
    public static readonly Option<int> Accounts = CommonOptions.AtLeast("--accounts", "Number of accounts the calls spread over.", 2000, 2);
    public static readonly Option<int> Seed = new("--seed") { Description = "Seed that chooses accounts and amounts.", DefaultValueFactory = _ => 1 };

    public static Command Create()
    {
        var duration = CommonOptions.Duration("--duration", "How long to run.", TimeSpan.FromSeconds(30));
        var workload = new Option<string>("--workload")
        {
            Description = "transfer (default), deposit or read.",
            DefaultValueFactory = _ => "transfer",
        };
        workload.AcceptOnlyFromAmong("transfer", "deposit", "read");

        var command = new Command("load", "Drive the ledger at a target rate; exit code 1 when any call failed.")
        {
            Rate, Concurrency, duration, Accounts, workload, Seed, ReconcileCommand.Manifest,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, ct, async (connection, token) =>
        {
            var options = new LoadOptions(parse.GetValue(Rate), parse.GetValue(Concurrency), parse.GetValue(duration));
            var ledger = new LedgerWorkload(connection.Client, $"load-{DateTime.UtcNow:HHmmss}", parse.GetValue(Accounts), 1_000_000, parse.GetValue(Seed));
            Func<long, CancellationToken, Task> call = parse.GetValue(workload) switch
            {
                "deposit" => ledger.DepositAsync,
                "read" => ledger.ReadAsync,
                _ => ledger.TransferAsync,
            };

            if (parse.GetValue(workload) == "transfer")
            {
                AnsiConsole.MarkupLineInterpolated($"opening {ledger.AccountIds.Count} accounts…");
                await ledger.OpenAccountsAsync(options.Concurrency, token);
            }

            var stats = new LoadStats();
            using (var view = new LiveLoadView(stats))
            {
                await view.ShowUntilAsync(LoadRunner.RunAsync(options, call, stats, progress: null, token));
            }

            AnsiConsole.Write(LoadReport.Summary($"load: {parse.GetValue(workload)}", stats, stats.Elapsed));
            if (parse.GetValue(ReconcileCommand.Manifest) is { } manifest)
            {
                await RunManifest.Of(ledger).WriteAsync(manifest, token);
                AnsiConsole.MarkupLineInterpolated($"manifest written to {manifest.FullName}: check it with reconcile --manifest");
            }

            LoadReport.FailureSamples(stats);
            return stats.Failed == 0 ? 0 : CommandRunner.CallFailed;
        }));
        return command;
    }
}
