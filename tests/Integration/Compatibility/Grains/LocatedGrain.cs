using Microsoft.Extensions.DependencyInjection;

namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>A grain that says which silo it lives on, so tests can place and check activations.</summary>
public interface ILocatedGrain : IGrain
{
    Task<SiloAddress> Where();
}

public abstract class LocatedGrain : Grain, ILocatedGrain
{
    public Task<SiloAddress> Where() => Task.FromResult(ServiceProvider.GetRequiredService<ILocalSiloDetails>().SiloAddress);
}
