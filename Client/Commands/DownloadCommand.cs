using System.CommandLine;
using System.Diagnostics;
using ReliableRpc.Client.Blobs;
using ReliableRpc.Client.Output;
using Spectre.Console;

namespace ReliableRpc.Client.Commands;

/// <summary><c>download ID FILE</c>: a completed upload, in chunks, with a progress bar, checked against its SHA-256.</summary>
internal static class DownloadCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The upload id." };
        var file = new Argument<FileInfo>("file") { Description = "Where to write it (replaced only once the checksum matches)." };
        var command = new Command("download", "Download a completed upload in chunks and verify its SHA-256.") { id, file };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, ct, async (connection, token) =>
        {
            var uploadId = parse.GetValue(id)!;
            var path = parse.GetValue(file)!.FullName;
            var started = Stopwatch.StartNew();
            var info = await TransferProgress.RunAsync($"download {uploadId}", report =>
                new BlobDownloader(connection.Client) { Progress = report }.DownloadAsync(uploadId, path, token));
            AnsiConsole.MarkupLineInterpolated(
                $"downloaded {uploadId} to {path}: {info.Spec.TotalLength:N0} bytes, SHA-256 {info.Spec.Sha256} verified, {UploadCommand.Rate(info.Spec.TotalLength, started.Elapsed)}");
            return 0;
        }));
        return command;
    }
}
