using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;
using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Tests.Integration.Infrastructure;

/// <summary>An in-process cluster of two silos, so calls cross the wire between silos.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync() => Cluster = await StartAsync(silos: 2);

    /// <summary>Starts a cluster of <paramref name="silos"/> silos with the pipeline on silos and client.</summary>
    public static async Task<TestCluster> StartAsync(short silos)
    {
        var builder = new TestClusterBuilder(silos);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddGrainStorage(LedgerStorage.Name, (sp, _) => new SharedGrainStorage(sp.GetRequiredService<Serializer>()));
            silo.UseInMemoryReminderService();
            silo.AddReliableRpc();
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) => client.AddReliableRpc();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
