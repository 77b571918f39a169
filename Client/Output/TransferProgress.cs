using Spectre.Console;

namespace ReliableRpc.Client.Output;

/// <summary>
/// A Spectre.Console progress bar for one transfer: bytes moved, rate and time left. On a terminal it is redrawn in
/// place; redirected, Spectre prints it now and then.
/// </summary>
internal static class TransferProgress
{
    /// <summary>Runs <paramref name="body"/>, which reports (bytes done, total) through the callback it is given.</summary>
    public static Task<T> RunAsync<T>(string description, Func<Action<long, long>, Task<T>> body) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask? task = null;
                return await body((done, total) =>
                {
                    if (task is null)
                    {
                        // Created at the first report, once the total is known; a resumed transfer starts part way,
                        // set before the task starts so the bytes already there do not count towards the rate.
                        task = context.AddTask(description, autoStart: false, maxValue: Math.Max(1, total));
                        task.Value = done;
                        task.StartTask();
                        return;
                    }

                    task.Value = done;
                });
            });
}
