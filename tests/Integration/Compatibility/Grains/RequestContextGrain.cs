namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>Reads RequestContext values, as Orleans' ISimplePersistentGrain.GetRequestContext, one or more hops down.</summary>
public interface IRequestContextGrain : ILocatedGrain, IGrainWithGuidKey
{
    /// <summary>The value of <paramref name="key"/> at the last of <paramref name="next"/> (here when empty).</summary>
    Task<string?> Read(List<IRequestContextGrain> next, string key);
}

public sealed class RequestContextGrain : LocatedGrain, IRequestContextGrain
{
    public Task<string?> Read(List<IRequestContextGrain> next, string key) =>
        next.Count == 0 ? Task.FromResult(RequestContext.Get(key) as string) : next[0].Read(next[1..], key);
}
