using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using ReliableRpc.Client.Blobs;
using ReliableRpc.Client.Output;
using ReliableRpc.Grains.Blobs;
using Spectre.Console;

namespace ReliableRpc.Client.Commands;

/// <summary><c>upload FILE [--id ID] [--chunk-size 256KiB] [--resume]</c>: a resumable chunked upload with a progress bar.</summary>
internal static class UploadCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The file to upload." };
        var id = new Option<string?>("--id") { Description = "Upload id; needed to resume. Default: a new GUID (printed)." };
        var chunkSize = new Option<int>("--chunk-size")
        {
            Description = $"Bytes per chunk, at most 1MiB (e.g. 64KiB, 256KiB, 1MiB). Default: 256KiB. Resuming uses the upload's own.",
            DefaultValueFactory = _ => BlobChunking.DefaultChunkSize,
            CustomParser = ParseChunkSize,
        };
        var resume = new Option<bool>("--resume") { Description = "Continue upload --id from where the cluster has it (after an interruption)." };
        var command = new Command("upload", "Upload a file in chunks, resumably; prints its upload id and SHA-256.") { file, id, chunkSize, resume };
        command.Validators.Add(result =>
        {
            if (result.GetValue(resume) && string.IsNullOrWhiteSpace(result.GetValue(id)))
            {
                result.AddError("--resume needs the --id of the upload to continue");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!.FullName;
            if (!File.Exists(path))
            {
                // Refused before connecting: nothing to send.
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] file not found: {path}");
                return CommandRunner.CallFailed;
            }

            var uploadId = parse.GetValue(id) ?? Guid.NewGuid().ToString("N");
            var exit = await CommandRunner.RunAsync(parse, ct, async (connection, token) =>
            {
                var started = Stopwatch.StartNew();
                var info = await TransferProgress.RunAsync($"upload {uploadId}", report =>
                    new BlobUploader(connection.Client) { Progress = report }.UploadAsync(path, uploadId, parse.GetValue(chunkSize), parse.GetValue(resume), token));
                AnsiConsole.MarkupLineInterpolated(
                    $"uploaded {path} as [bold]{uploadId}[/]: {info.Spec.TotalLength:N0} bytes, SHA-256 {info.Spec.Sha256} verified by the cluster, {Rate(info.Spec.TotalLength, started.Elapsed)}");
                return 0;
            });
            if (exit != 0)
            {
                AnsiConsole.MarkupLineInterpolated($"to continue: upload {path} --id {uploadId} --resume");
            }

            return exit;
        });
        return command;
    }

    /// <summary>"in 2.1 s, 23.8 MB/s".</summary>
    public static string Rate(long bytes, TimeSpan elapsed) =>
        $"in {elapsed.TotalSeconds:0.0} s, {bytes / 1e6 / Math.Max(elapsed.TotalSeconds, 1e-3):0.0} MB/s";

    private static int ParseChunkSize(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        var bytes = ByteSizeParser.Parse(text, out var error);
        if (bytes is null)
        {
            result.AddError(error!);
            return default;
        }

        if (bytes < 1 || bytes > BlobChunking.MaxChunkSize)
        {
            result.AddError($"--chunk-size must be between 1 byte and 1MiB (was {text})");
            return default;
        }

        return (int)bytes.Value;
    }
}
