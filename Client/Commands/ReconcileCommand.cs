using System.CommandLine;
using ReliableRpc.Client.Ledger;
using Spectre.Console;

namespace ReliableRpc.Client.Commands;

/// <summary><c>reconcile --manifest FILE</c>: finishes a run's transfers and reconciles its accounts, one verdict line.</summary>
internal static class ReconcileCommand
{
    public static readonly Option<FileInfo?> Manifest = new("--manifest")
    {
        Description = "The run manifest (written by load or demo with --manifest).",
    };

    public static Command Create()
    {
        var manifest = new Option<FileInfo>("--manifest") { Description = "The run manifest written by load or demo.", Required = true };
        var command = new Command("reconcile", "Drive every transfer of a run to a final state and reconcile every account; exit code 1 on any discrepancy.")
        {
            manifest,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, ct, async (connection, token) =>
        {
            var run = await RunManifest.ReadAsync(parse.GetValue(manifest)!, token);
            var audit = await LedgerAudit.RunAsync(connection.Client, run.Accounts, run.Transfers, token);
            Print(audit);
            return audit.Reconciles ? 0 : CommandRunner.CallFailed;
        }));
        return command;
    }

    /// <summary>The verdict, then the first discrepancies.</summary>
    public static void Print(AuditResult audit)
    {
        if (audit.Reconciles)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[green]reconciled[/]: {audit.Transfers} transfers final ({audit.Completed} completed, {audit.Failed} failed, {audit.Resumed} finished by the check), every account balances, total {audit.TotalMoney}");
            return;
        }

        AnsiConsole.MarkupLineInterpolated($"[red]NOT reconciled[/]: {audit.Discrepancies.Count} discrepancies; first: {audit.Discrepancies[0]}");
        foreach (var discrepancy in audit.Discrepancies.Skip(1).Take(9))
        {
            AnsiConsole.MarkupLineInterpolated($"  {discrepancy}");
        }
    }
}
