using System.Diagnostics;

namespace ReliableRpc.Client.Load;

/// <summary>
/// Starts calls at a target rate with a cap on calls in flight, for a duration, and records each one.
/// When the cluster stalls, the cap holds new calls back instead of piling them up.
/// </summary>
internal static class LoadRunner
{
    /// <summary>
    /// Runs <paramref name="call"/> (given the call's sequence number) until <see cref="LoadOptions.Duration"/>
    /// has passed or <paramref name="stop"/> fires, then waits for the calls in flight: stopping never cancels a
    /// call (it would count as a failure of the system under test); each ends by its own deadline.
    /// <paramref name="progress"/> is called about once a second.
    /// </summary>
    public static async Task RunAsync(
        LoadOptions options,
        Func<long, CancellationToken, Task> call,
        LoadStats stats,
        Action<LoadStats, int>? progress,
        CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        var interval = TimeSpan.FromSeconds(1.0 / options.Rate);
        var clock = Stopwatch.StartNew();
        var nextProgress = TimeSpan.FromSeconds(1);
        long sequence = 0;

        while (clock.Elapsed < options.Duration && !stop.IsCancellationRequested)
        {
            var wait = interval * sequence - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1) && !await Delay(wait, stop).ConfigureAwait(false))
            {
                break;
            }

            if (clock.Elapsed >= nextProgress)
            {
                progress?.Invoke(stats, options.Concurrency - slots.CurrentCount);
                nextProgress += TimeSpan.FromSeconds(1);
            }

            if (!await slots.WaitAsync(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false))
            {
                continue;
            }

            var n = sequence++;
            _ = RunOneAsync(n);
        }

        for (var i = 0; i < options.Concurrency; i++)
        {
            await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        stats.Complete();

        static async Task<bool> Delay(TimeSpan wait, CancellationToken stop)
        {
            try
            {
                await Task.Delay(wait, stop).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        async Task RunOneAsync(long n)
        {
            var started = Stopwatch.GetTimestamp();
            stats.RecordStart();
            try
            {
                await call(n, CancellationToken.None).ConfigureAwait(false);
                stats.RecordSuccess(Stopwatch.GetElapsedTime(started));
            }
            catch (Exception exception)
            {
                stats.RecordFailure(Stopwatch.GetElapsedTime(started), exception);
            }
            finally
            {
                slots.Release();
            }
        }
    }
}
