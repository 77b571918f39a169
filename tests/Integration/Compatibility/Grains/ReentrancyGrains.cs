using Orleans.Concurrency;

namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>As Orleans' IReentrantGrain: a [Reentrant] grain that calls itself within a call.</summary>
public interface IReentrantTestGrain : IGrainWithGuidKey
{
    Task<int> CallSelf();

    Task<int> One();
}

[Reentrant]
public sealed class ReentrantTestGrain : Grain, IReentrantTestGrain
{
    public async Task<int> CallSelf() => await this.AsReference<IReentrantTestGrain>().One() + 1;

    public Task<int> One() => Task.FromResult(1);
}

/// <summary>As Orleans' IDeadlockNonReentrantGrain: a non-reentrant grain re-entered by its own call chain (A → B → A).</summary>
public interface ICallChainGrain : ILocatedGrain, IGrainWithGuidKey
{
    /// <summary>Allows call-chain reentrancy and calls <paramref name="other"/>, which calls back.</summary>
    Task<string> Start(ICallChainGrain other);

    Task<string> CallBack(ICallChainGrain origin);

    Task<string> Leaf();
}

public sealed class CallChainGrain : LocatedGrain, ICallChainGrain
{
    public async Task<string> Start(ICallChainGrain other)
    {
        using var _ = RequestContext.AllowCallChainReentrancy();
        return await other.CallBack(this.AsReference<ICallChainGrain>());
    }

    public async Task<string> CallBack(ICallChainGrain origin) => "back: " + await origin.Leaf();

    public Task<string> Leaf() => Task.FromResult("leaf");
}
