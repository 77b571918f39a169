using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ReliableRpc.Grains.Ledger;

/// <summary>Registers what the ledger's grains need.</summary>
public static class LedgerServiceCollectionExtensions
{
    /// <summary>Adds the ledger's services, with <see cref="TransferOptions"/> from <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddLedger(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TransferOptions>().Bind(configuration.GetSection(TransferOptions.Section));
        services.AddSingleton<TransferFaults>();
        return services;
    }
}
