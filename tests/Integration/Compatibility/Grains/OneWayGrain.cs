using Orleans.Concurrency;

namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>As Orleans' IOneWayGrain: [OneWay] methods complete at the caller at once, failures never come back.</summary>
public interface IOneWayGrain : IGrainWithGuidKey
{
    [OneWay]
    Task Notify();

    [OneWay]
    Task ThrowsOneWay();

    Task<int> GetCount();
}

public sealed class OneWayGrain : Grain, IOneWayGrain
{
    private int _count;

    public Task Notify()
    {
        _count++;
        return Task.CompletedTask;
    }

    public Task ThrowsOneWay() => throw new InvalidOperationException("a one-way failure the caller never sees");

    public Task<int> GetCount() => Task.FromResult(_count);
}
