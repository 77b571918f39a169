using System.Diagnostics;
using Orleans;
using Orleans.Concurrency;

namespace ReliableRpc.Grains.Capacity;

/// <summary>
/// The bottleneck: reentrant, so its calls queue on its slots (inside the method, where the silo's filters see the
/// wait) and not in the activation's queue.
/// </summary>
[Reentrant]
public sealed class BottleneckGrain : Grain, IBottleneckGrain
{
    /// <summary>Served calls kept for the report; past it the oldest are overwritten.</summary>
    private const int Kept = 200_000;

    private readonly double[] _served = new double[Kept];
    private long _count;
    private SemaphoreSlim _slots = new(1);
    private BottleneckPlan _plan = new(1, TimeSpan.FromMilliseconds(10));
    private long _configuredAt = Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public async Task Serve()
    {
        var admitted = Stopwatch.GetTimestamp();

        // The slots in force when the call came: a reconfiguration does not strand a call on a replaced semaphore.
        var slots = _slots;
        await slots.WaitAsync();
        try
        {
            await Task.Delay(ServiceTime());
        }
        finally
        {
            slots.Release();
        }

        _served[_count++ % Kept] = Stopwatch.GetElapsedTime(admitted).TotalMilliseconds;
    }

    /// <inheritdoc />
    public Task Configure(BottleneckPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.Slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.ServiceTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.SlowdownFactor, 1);
        _slots = new SemaphoreSlim(plan.Slots);
        _plan = plan;
        _configuredAt = Stopwatch.GetTimestamp();
        _count = 0;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<BottleneckReport> Report(bool reset, CancellationToken cancellationToken)
    {
        var served = _served.AsSpan(0, (int)Math.Min(_count, Kept)).ToArray();
        var count = _count;
        if (reset)
        {
            _count = 0;
        }

        Array.Sort(served);
        double At(double percentile) => served.Length == 0 ? 0 : served[(int)Math.Min(served.Length - 1, Math.Ceiling(percentile * served.Length) - 1)];
        return Task.FromResult(new BottleneckReport(count, At(0.5), At(0.99)));
    }

    private TimeSpan ServiceTime()
    {
        var since = Stopwatch.GetElapsedTime(_configuredAt);
        return since >= _plan.SlowdownAfter && since < _plan.SlowdownAfter + _plan.SlowdownFor
            ? _plan.ServiceTime * _plan.SlowdownFactor
            : _plan.ServiceTime;
    }
}
