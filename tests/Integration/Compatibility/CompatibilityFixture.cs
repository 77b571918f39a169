using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.TestingHost;

namespace ReliableRpc.Tests.Integration.Compatibility;

/// <summary>
/// Two in-process clusters of two silos each, configured alike: <see cref="Plain"/> is plain Orleans,
/// <see cref="Pipeline"/> has <c>AddReliableRpc</c> on silos and client. Every compatibility case runs on both
/// and expects the same observable behaviour, apart from the pipeline's documented differences.
/// </summary>
public sealed class CompatibilityFixture : IAsyncLifetime
{
    public TestCluster Plain { get; private set; } = null!;

    public TestCluster Pipeline { get; private set; } = null!;

    public TestCluster Cluster(bool pipeline) => pipeline ? Pipeline : Plain;

    public async Task InitializeAsync()
    {
        var plain = StartAsync(pipeline: false);
        var withPipeline = StartAsync(pipeline: true);
        Plain = await plain;
        Pipeline = await withPipeline;
    }

    public async Task DisposeAsync()
    {
        foreach (var cluster in new[] { Plain, Pipeline })
        {
            if (cluster is not null)
            {
                await cluster.StopAllSilosAsync();
                await cluster.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Starts one more client of a cluster, configured like its main client plus <paramref name="settings"/>
    /// (e.g. <see cref="CompatibilitySettings.UserFilter"/>). Dispose it to make it leave.
    /// </summary>
    public async Task<ExtraClient> StartClientAsync(bool pipeline, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var cluster = Cluster(pipeline);
        var configuration = new ConfigurationBuilder();
        foreach (var source in cluster.ConfigurationSources)
        {
            configuration.Add(source);
        }

        // What TestCluster.InitializeClientAsync gives its own client: the silos' gateways, development clustering.
        var clustering = new Dictionary<string, string?> { ["Orleans:Clustering:ProviderType"] = "Development" };
        var gateways = cluster.GetActiveSilos().Select(s => new IPEndPoint(s.GatewayAddress.Endpoint.Address, s.GatewayAddress.Endpoint.Port)).Distinct();
        var i = 0;
        foreach (var gateway in gateways)
        {
            clustering[$"Orleans:Clustering:Gateways:{i++}"] = gateway.ToString();
        }

        configuration.AddInMemoryCollection(clustering);
        configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        var host = TestClusterHostFactory.CreateClusterClient($"ExtraClient-{Guid.NewGuid():N}", configuration.Build());
        try
        {
            await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new ExtraClient(host);
    }

    private static async Task<TestCluster> StartAsync(bool pipeline)
    {
        var builder = new TestClusterBuilder(2);

        // Real sockets rather than the in-memory default: calls cross a wire between silos, and extra clients (which
        // cannot reach TestCluster's private in-memory hub) can connect.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Properties[CompatibilitySettings.Pipeline] = pipeline ? "on" : "off";
        if (pipeline)
        {
            // The pipeline's default deadline equals Orleans' response timeout on the plain cluster. MaxDeadline is
            // short too (the pipeline raises Orleans' ResponseTimeout to it + 2 s, and calls it passes through, like
            // observer calls, wait that long), but above the default, so longer [ResponseTimeout]s keep their effect.
            builder.Properties[$"{ReliableRpcOptions.Section}:Deadlines:DefaultDeadline"] = CompatibilitySettings.DefaultTimeout.ToString("c");
            builder.Properties[$"{ReliableRpcOptions.Section}:Deadlines:MaxDeadline"] = CompatibilitySettings.PipelineMaxDeadline.ToString("c");
        }

        builder.AddSiloBuilderConfigurator<CompatibilitySiloConfigurator>();
        builder.AddClientBuilderConfigurator<CompatibilityClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}

/// <summary>A client started next to a cluster's main one; disposing it stops it (it leaves the cluster).</summary>
public sealed class ExtraClient(IHost host) : IAsyncDisposable
{
    private bool _disposed;

    public IClusterClient Client { get; } = host.Services.GetRequiredService<IClusterClient>();

    public IServiceProvider Services => host.Services;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            host.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CompatibilityCollection : ICollectionFixture<CompatibilityFixture>
{
    public const string Name = "compatibility";
}
