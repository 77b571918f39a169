using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Storage;
using ReliableRpc.Storage.Internal;

namespace ReliableRpc;

/// <summary>Puts a silo's grain storage behind its storage gate (<see cref="StorageGateOptions"/>).</summary>
public static class StorageGateSiloBuilderExtensions
{
    /// <summary>
    /// Puts every grain storage provider registered so far behind the silo's storage gate: call it after adding them
    /// (and after <c>AddReliableRpc</c>, which registers the gate). Reads, writes and clears that stall past
    /// <see cref="StorageGateOptions.StallThreshold"/> fail then instead of at the storage client's own timeout, and
    /// while the gate is open none is sent: keyed calls and <see cref="IdempotencyGuard"/> effects are refused before
    /// they run, activations fail at once, and reads of active grains (from memory) go on.
    /// </summary>
    public static ISiloBuilder AddStorageGate(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var providers = services.Where(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && d.KeyedImplementationFactory is not null).ToList();
        foreach (var provider in providers)
        {
            var create = provider.KeyedImplementationFactory!;
            services.Remove(provider);
            services.Add(ServiceDescriptor.KeyedSingleton<IGrainStorage>(provider.ServiceKey, (sp, key) =>
            {
                var inner = (IGrainStorage)create(sp, key);
                return inner is GatedGrainStorage ? inner : new GatedGrainStorage(inner, sp.GetRequiredService<StorageGate>());
            }));
        }

        return builder;
    }
}
