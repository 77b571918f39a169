using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Silo.Hosting;

namespace ReliableRpc.Silo.FaultInjection;

/// <summary>Installs <see cref="FaultInjectionFilter"/> when the "FaultInjection" section turns it on.</summary>
internal static class FaultInjectionExtensions
{
    /// <summary>
    /// Call after <c>AddReliableRpc</c>: Orleans runs incoming filters in registration order, and faults belong
    /// inside the pipeline, where the network would put them.
    /// </summary>
    public static void AddFaultInjection(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(FaultInjectionOptions.Section).Get<FaultInjectionOptions>() ?? new FaultInjectionOptions();
        if (!options.Enabled)
        {
            return;
        }

        double[] rates = [options.ErrorRate, options.LostResponseRate, options.DelayRate, options.DuplicateRate];
        if (rates.Any(r => r is < 0 or > 1) || rates.Sum() > 1)
        {
            throw new SiloConfigurationException($"FaultInjection: each rate must be within 0–1 and they must add up to at most 1 (were {string.Join(", ", rates)}).");
        }

        if (options.MaxDelay < TimeSpan.Zero)
        {
            throw new SiloConfigurationException($"FaultInjection:MaxDelay must not be negative (was {options.MaxDelay}).");
        }

        if (options.TransferCrashRate is < 0 or > 1)
        {
            throw new SiloConfigurationException($"FaultInjection:TransferCrashRate must be within 0–1 (was {options.TransferCrashRate}).");
        }

        silo.Services.Configure<FaultInjectionOptions>(configuration.GetSection(FaultInjectionOptions.Section));
        silo.AddIncomingGrainCallFilter<FaultInjectionFilter>();
        if (options.TransferCrashRate > 0)
        {
            // At the first lifecycle stage, before the silo takes calls, so no transfer misses it.
            silo.AddStartupTask((services, _) =>
            {
                services.GetRequiredService<TransferFaults>().CrashShareOfTransfers(options.TransferCrashRate, options.Seed);
                return Task.CompletedTask;
            }, ServiceLifecycleStage.First);
        }
    }
}
