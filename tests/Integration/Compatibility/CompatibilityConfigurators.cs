using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace ReliableRpc.Tests.Integration.Compatibility;

/// <summary>
/// Silos of both compatibility clusters: the same configuration, except that the pipeline cluster adds
/// <c>AddReliableRpc</c>. Orleans' response timeout is short on both, so timeout cases take seconds.
/// </summary>
public sealed class CompatibilitySiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder silo)
    {
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = CompatibilitySettings.DefaultTimeout);
        if (silo.Configuration[CompatibilitySettings.Pipeline] == "on")
        {
            silo.AddReliableRpc(o => silo.Configuration.GetSection(ReliableRpcOptions.Section).Bind(o));
        }
    }
}

/// <summary>
/// Clients of both clusters. A client started with <see cref="CompatibilitySettings.UserFilter"/> also registers
/// <see cref="UserRetryFilter"/>, before or after <c>AddReliableRpc</c>: registration order is filter order.
/// </summary>
public sealed class CompatibilityClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder client)
    {
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = CompatibilitySettings.DefaultTimeout);
        var order = Enum.TryParse<UserFilterOrder>(configuration[CompatibilitySettings.UserFilter], out var parsed) ? parsed : (UserFilterOrder?)null;
        if (order is not null)
        {
            client.Services.AddSingleton<UserFilterLog>();
        }

        if (order == UserFilterOrder.BeforePipeline)
        {
            client.AddOutgoingGrainCallFilter<UserRetryFilter>();
        }

        if (configuration[CompatibilitySettings.Pipeline] == "on")
        {
            client.AddReliableRpc(o => configuration.GetSection(ReliableRpcOptions.Section).Bind(o));
        }

        if (order == UserFilterOrder.AfterPipeline)
        {
            client.AddOutgoingGrainCallFilter<UserRetryFilter>();
        }
    }
}
