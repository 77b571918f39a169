using System.CommandLine;
using ReliableRpc.Grains.Probing;
using Spectre.Console;

namespace ReliableRpc.Client.Commands;

/// <summary><c>probe URL --count N --deadline 500ms</c>: the primer's prober, one line of result or of error.</summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The http(s) URL to probe." };
        var count = CommonOptions.AtLeast("--count", "How many requests.", 10, 1);
        var deadline = CommonOptions.Duration("--deadline", "The whole probe's deadline.", TimeSpan.FromSeconds(5));
        var timeout = CommonOptions.Duration("--timeout", "Each request's own timeout.", TimeSpan.FromSeconds(1));
        var command = new Command("probe", "Ask the cluster to probe an HTTP endpoint and report latency.") { url, count, deadline, timeout };
        command.SetAction(async (parse, ct) =>
        {
            var request = new ProbeRequest(parse.GetValue(url)!, parse.GetValue(count), parse.GetValue(timeout));
            if (request.Problem() is { } problem)
            {
                // Refused before any call leaves the client.
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] InvalidArgument: {problem}");
                return CommandRunner.CallFailed;
            }

            return await CommandRunner.RunAsync(parse, ct, async (connection, token) =>
            {
                using var scope = RpcCall.Deadline(parse.GetValue(deadline));
                var report = await connection.Client.GetGrain<IProberGrain>("prober").Probe(request, token);
                AnsiConsole.MarkupLineInterpolated($"{report}");
                return report.Succeeded == report.Requested ? 0 : CommandRunner.CallFailed;
            });
        });
        return command;
    }
}
