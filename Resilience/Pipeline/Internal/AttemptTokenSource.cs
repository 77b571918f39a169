using System.Collections.Concurrent;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>
/// The token of one attempt: it fires at the attempt's timeout, when the caller gives up, or when the client loses
/// a gateway. One source serves all three, and on the system clock it is pooled: a source that did not fire is reset
/// and reused, so an attempt that ends in time allocates nothing for its timer.
/// </summary>
/// <remarks>
/// This replaces Polly's timeout strategy, which pools its sources the same way but must await the attempt inside
/// its own async method: a state machine (~230–290 B) on every attempt, and a second source whenever the attempt
/// also had to be linked to the caller's token or the gateway-loss signal.
/// </remarks>
internal struct AttemptTokenSource : IDisposable
{
    private const int MaxPooled = 1_024;
    private static readonly ConcurrentQueue<CancellationTokenSource> Pool = new();
    private static int s_pooled;

    private readonly bool _pooled;
    private readonly CancellationTokenSource? _source;
    private CancellationTokenRegistration _caller;
    private CancellationTokenRegistration _gatewayLoss;

    private AttemptTokenSource(CancellationTokenSource source, bool pooled)
    {
        _source = source;
        _pooled = pooled;
    }

    /// <summary>The attempt's token.</summary>
    public readonly CancellationToken Token => _source!.Token;

    /// <summary>True when the attempt's own timeout fired (not the caller, not a lost gateway).</summary>
    public readonly bool TimedOut(CancellationToken caller, CancellationToken gatewayLoss) =>
        _source!.IsCancellationRequested && !caller.IsCancellationRequested && !gatewayLoss.IsCancellationRequested;

    /// <summary>A source that fires after <paramref name="timeout"/> on <paramref name="time"/>, or with either token.</summary>
    public static AttemptTokenSource Start(TimeProvider time, TimeSpan timeout, CancellationToken caller, CancellationToken gatewayLoss)
    {
        AttemptTokenSource attempt;
        if (time == TimeProvider.System)
        {
            if (!Pool.TryDequeue(out var source))
            {
                source = new CancellationTokenSource();
            }
            else
            {
                Interlocked.Decrement(ref s_pooled);
            }

            source.CancelAfter(timeout);
            attempt = new AttemptTokenSource(source, pooled: true);
        }
        else
        {
            // A fake clock in tests: its timers only run on that clock, so the source comes from it.
            attempt = new AttemptTokenSource(new CancellationTokenSource(timeout, time), pooled: false);
        }

        if (caller.CanBeCanceled)
        {
            attempt._caller = caller.UnsafeRegister(static source => Cancel(source!), attempt._source);
        }

        if (gatewayLoss.CanBeCanceled)
        {
            attempt._gatewayLoss = gatewayLoss.UnsafeRegister(static source => Cancel(source!), attempt._source);
        }

        return attempt;
    }

    /// <summary>Detaches from the caller and the signal, and puts an unfired source back in the pool.</summary>
    public readonly void Dispose()
    {
        if (_source is not { } source)
        {
            return;
        }

        // Disposing a registration waits for its callback if it is running, so the source is not cancelled after
        // it went back to the pool.
        _caller.Dispose();
        _gatewayLoss.Dispose();
        if (_pooled && source.TryReset())
        {
            if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
            {
                Pool.Enqueue(source);
                return;
            }

            Interlocked.Decrement(ref s_pooled);
        }

        source.Dispose();
    }

    private static void Cancel(object source)
    {
        try
        {
            ((CancellationTokenSource)source).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended while the caller or the signal fired: nothing is waiting on it.
        }
    }
}
