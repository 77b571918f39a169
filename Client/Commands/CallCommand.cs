using System.CommandLine;
using ReliableRpc.Grains.Ledger;
using Spectre.Console;

namespace ReliableRpc.Client.Commands;

/// <summary><c>call deposit|withdraw|balance|statement|transfer|transfer-state</c>: one call, one line of result.</summary>
internal static class CallCommand
{
    public static Command Create()
    {
        var call = new Command("call", "Make one call to the ledger.");
        call.Subcommands.Add(AmountCall("deposit", "Add money to an account.", (a, n, ct) => a.Deposit(n, ct)));
        call.Subcommands.Add(AmountCall("withdraw", "Take money out of an account.", (a, n, ct) => a.Withdraw(n, ct)));
        call.Subcommands.Add(Balance());
        call.Subcommands.Add(Transfer());
        call.Subcommands.Add(TransferState());
        return call;
    }

    private static Command AmountCall(string name, string description, Func<IAccountGrain, long, CancellationToken, Task<long>> invoke)
    {
        var account = new Argument<string>("account") { Description = "Account id." };
        var amount = new Argument<long>("amount") { Description = "Amount in minor units (positive)." };
        var command = new Command(name, description) { account, amount };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, ct, async (connection, token) =>
        {
            var grain = connection.Client.GetGrain<IAccountGrain>(parse.GetValue(account)!);
            var balance = await invoke(grain, parse.GetValue(amount), token);
            AnsiConsole.MarkupLineInterpolated($"{name} ok: account {parse.GetValue(account)} balance {balance}");
            return 0;
        }));
        return command;
    }

    private static Command Balance()
    {
        var account = new Argument<string>("account") { Description = "Account id." };
        var command = new Command("balance", "Show an account's balance and what explains it.") { account };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, ct, async (connection, token) =>
        {
            var s = await connection.Client.GetGrain<IAccountGrain>(parse.GetValue(account)!).GetStatement(token);
            AnsiConsole.MarkupLineInterpolated(
                $"account {s.AccountId}: balance {s.Balance} (deposited {s.Deposited}, withdrawn {s.Withdrawn}, {s.AppliedLegs.Count} transfer legs)");
            return 0;
        }));
        return command;
    }

    private static Command Transfer()
    {
        var from = new Argument<string>("from") { Description = "Source account id." };
        var to = new Argument<string>("to") { Description = "Destination account id." };
        var amount = new Argument<long>("amount") { Description = "Amount in minor units (positive)." };
        var id = new Option<string?>("--id") { Description = "Transfer id; repeat a transfer safely by giving the same id. Default: a new GUID." };
        var command = new Command("transfer", "Move money between two accounts.") { from, to, amount, id };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, ct, async (connection, token) =>
        {
            var transferId = parse.GetValue(id) ?? Guid.NewGuid().ToString("N");
            var request = new TransferRequest(parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(amount));
            var state = await connection.Client.GetGrain<ITransferGrain>(transferId).Execute(request, token);
            AnsiConsole.MarkupLineInterpolated($"transfer {transferId}: {state.Status}{(state.FailureReason is null ? "" : $" ({state.FailureReason})")}");
            return state.Status == TransferStatus.Completed ? 0 : CommandRunner.CallFailed;
        }));
        return command;
    }

    private static Command TransferState()
    {
        var id = new Argument<string>("id") { Description = "Transfer id." };
        var command = new Command("transfer-state", "Show a transfer's state.") { id };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, ct, async (connection, token) =>
        {
            var state = await connection.Client.GetGrain<ITransferGrain>(parse.GetValue(id)!).GetState(token);
            AnsiConsole.MarkupLineInterpolated($"transfer {state.TransferId}: {state.Status}{(state.FailureReason is null ? "" : $" ({state.FailureReason})")}");
            return 0;
        }));
        return command;
    }
}
