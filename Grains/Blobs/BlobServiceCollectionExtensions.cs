using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ReliableRpc.Grains.Blobs;

/// <summary>Registers what chunked uploads need, besides their storage provider (<see cref="BlobStorage.Name"/>), which the host registers.</summary>
public static class BlobServiceCollectionExtensions
{
    /// <summary>Adds <see cref="BlobOptions"/> from <paramref name="configuration"/>, validated at start, and the uploads' clock.</summary>
    public static IServiceCollection AddBlobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BlobOptions>().Bind(configuration.GetSection(BlobOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BlobOptions>, BlobOptionsValidator>());
        services.TryAddKeyedSingleton(BlobStorage.TimeProviderKey, TimeProvider.System);
        return services;
    }
}
