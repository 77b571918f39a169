using System.CommandLine;
using ReliableRpc.Client.Connection;
using ReliableRpc.Client.Output;
using ReliableRpc.Tls;
using Spectre.Console;

namespace ReliableRpc.Client.Commands;

/// <summary>Connects, runs a command's body, and turns failures into one clear line and an exit code.</summary>
internal static class CommandRunner
{
    /// <summary>Exit code when the command ran and a call failed.</summary>
    public const int CallFailed = 1;

    /// <summary>Exit code when the cluster could not be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>Exit code when the client's own settings are wrong (TLS files, Redis password file).</summary>
    public const int BadConfiguration = 2;

    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<ClusterConnection, CancellationToken, Task<int>> body)
    {
        try
        {
            await using var connection = await ClusterConnection.ConnectAsync(CommonOptions.Connection(parse), cancellationToken);
            return await body(connection, cancellationToken);
        }
        catch (MutualTlsConfigurationException configuration)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {configuration.Message}");
            return BadConfiguration;
        }
        catch (ClusterUnreachableException unreachable)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {unreachable.Message}");
            return Unreachable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]");
            return 130;
        }
        catch (Exception failure)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {FailureDescription.Line(failure)}");
            if (parse.GetValue(CommonOptions.Verbose))
            {
                Console.Error.WriteLine(failure);
            }

            return CallFailed;
        }
    }
}
