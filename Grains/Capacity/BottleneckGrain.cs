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
    private SemaphoreSlim _slots = new(1);
    private TimeSpan _serviceTime = TimeSpan.FromMilliseconds(10);

    /// <inheritdoc />
    public async Task Serve(CancellationToken cancellationToken)
    {
        // The slots in force when the call came: a reconfiguration does not strand a call on a replaced semaphore.
        var slots = _slots;
        await slots.WaitAsync(cancellationToken);
        try
        {
            await Task.Delay(_serviceTime, cancellationToken);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <inheritdoc />
    public Task Configure(int slots, TimeSpan serviceTime, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(serviceTime, TimeSpan.Zero);
        _slots = new SemaphoreSlim(slots);
        _serviceTime = serviceTime;
        return Task.CompletedTask;
    }
}
