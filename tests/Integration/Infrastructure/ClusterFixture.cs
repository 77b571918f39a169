using Orleans.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;
using ReliableRpc.Grains.Blobs;
using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Tests.Integration.Infrastructure;

/// <summary>An in-process cluster of two silos, so calls cross the wire between silos.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The setting that gives silos and client this response timeout (Orleans' message time to live).</summary>
    public const string ResponseTimeoutSetting = "Orleans:ResponseTimeout";

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync() => Cluster = await StartAsync(silos: 2);

    /// <summary>Starts a cluster of <paramref name="silos"/> silos with the pipeline on silos and client.</summary>
    /// <param name="silos">How many silos.</param>
    /// <param name="settings">Configuration for silos and client, e.g. "ReliableRpc:Shedding:MaxConcurrentClientCalls".</param>
    public static async Task<TestCluster> StartAsync(short silos, IReadOnlyDictionary<string, string>? settings = null)
    {
        var builder = new TestClusterBuilder(silos);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.Properties[key] = value;
        }

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
            silo.Services.AddLedger(silo.Configuration);
            silo.Services.AddGrainStorage(BlobStorage.Name, (sp, _) => new SharedGrainStorage(sp.GetRequiredService<Serializer>()));
            silo.Services.AddBlobs(silo.Configuration);
            silo.AddStorageGate();
            if (silo.Configuration[BlobClock.Setting] == "fake")
            {
                // Registered after AddBlobs' default: the last keyed registration is the one resolved.
                silo.Services.AddKeyedSingleton<TimeProvider>(BlobStorage.TimeProviderKey, BlobClock.Fake);
            }

            silo.Configure<Orleans.Hosting.ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            if (silo.Configuration[MessageFaultFilter.Setting] == nameof(MessageFault.DeliverTwice))
            {
                silo.AddOutgoingGrainCallFilter(new MessageFaultFilter(MessageFault.DeliverTwice));
            }
            if (silo.Configuration.GetValue<TimeSpan?>(ResponseTimeoutSetting) is { } siloTimeout)
            {
                silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = siloTimeout);
            }

            silo.AddReliableRpc(o => silo.Configuration.GetSection(ReliableRpcOptions.Section).Bind(o));
            silo.AddActivityPropagation();
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client)
        {
            if (configuration.GetValue<TimeSpan?>(ResponseTimeoutSetting) is { } clientTimeout)
            {
                client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = clientTimeout);
            }

            client.AddReliableRpc(o => configuration.GetSection(ReliableRpcOptions.Section).Bind(o));
            client.AddActivityPropagation();

            // Registered after the pipeline, so it runs inside it: it sees each attempt the pipeline sends.
            switch (configuration[MessageFaultFilter.Setting])
            {
                case nameof(MessageFault.DeliverTwice):
                    client.AddOutgoingGrainCallFilter(new MessageFaultFilter(MessageFault.DeliverTwice));
                    break;
                case nameof(MessageFault.DropFirstResponse):
                    client.AddOutgoingGrainCallFilter(new MessageFaultFilter(MessageFault.DropFirstResponse));
                    break;
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
