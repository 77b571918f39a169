using Orleans.Concurrency;

namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>Immutable&lt;T&gt; arguments, as in Orleans' IReentrantStressTestGrain.PingImmutableArray and HostedClientTests.</summary>
public interface IImmutableGrain : ILocatedGrain, IGrainWithGuidKey
{
    Task<int> Sum(Immutable<int[]> values);

    Task<Immutable<int[]>> Echo(Immutable<int[]> values);

    /// <summary>Sends <paramref name="values"/> to <paramref name="other"/> and back: true when no copy was made on the way.</summary>
    Task<bool> EchoIsSameObject(IImmutableGrain other, int[] values);

    /// <summary>Sums <paramref name="values"/> at <paramref name="other"/>.</summary>
    Task<int> SumAt(IImmutableGrain other, Immutable<int[]> values);
}

public sealed class ImmutableGrain : LocatedGrain, IImmutableGrain
{
    public Task<int> Sum(Immutable<int[]> values) => Task.FromResult(values.Value.Sum());

    public Task<Immutable<int[]>> Echo(Immutable<int[]> values) => Task.FromResult(values);

    public async Task<bool> EchoIsSameObject(IImmutableGrain other, int[] values)
    {
        var echoed = await other.Echo(values.AsImmutable());
        return ReferenceEquals(echoed.Value, values);
    }

    public Task<int> SumAt(IImmutableGrain other, Immutable<int[]> values) => other.Sum(values);
}
