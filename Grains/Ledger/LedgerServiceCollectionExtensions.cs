using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ReliableRpc.Grains.Ledger;

/// <summary>Registers what the ledger's grains need.</summary>
public static class LedgerServiceCollectionExtensions
{
    /// <summary>Adds the sample's services (the ledger's and the prober's), with <see cref="TransferOptions"/> from <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddLedger(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TransferOptions>().Bind(configuration.GetSection(TransferOptions.Section));
        services.AddSingleton<TransferFaults>();

        // The prober's requests: no retries and no redirects of their own, so each probe measures one request.
        services.AddHttpClient(nameof(Probing.ProberGrain)).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        return services;
    }
}
