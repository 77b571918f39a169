using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace ReliableRpc.Tests.Unit.Hosting;

/// <summary>Issue 27: a user's own app gets the tuning the tests run with, in one call, and can still override it.</summary>
public class ClusterDefaultsTests
{
    [Fact]
    public void ASilo_GetsTheTestedMembershipSettings()
    {
        var membership = Resolve<ClusterMembershipOptions>(b => b.UseOrleans(silo => silo.UseLocalhostClustering().UseReliableRpcClusterDefaults()));

        Assert.Equal(TimeSpan.FromSeconds(2), membership.ProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), membership.MinProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), membership.MaxProbeTimeout);
        Assert.Equal(2, membership.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(5), membership.TableRefreshTimeout);
    }

    [Fact]
    public void AClient_RereadsTheGatewayListEverySecond()
    {
        var gateways = Resolve<GatewayOptions>(b => b.UseOrleansClient(client => client.UseLocalhostClustering().UseReliableRpcClusterDefaults()));

        Assert.Equal(TimeSpan.FromSeconds(1), gateways.GatewayListRefreshPeriod);
    }

    [Fact]
    public void ASettingMadeAfterTheCall_Wins()
    {
        var membership = Resolve<ClusterMembershipOptions>(b => b.UseOrleans(silo => silo
            .UseLocalhostClustering()
            .UseReliableRpcClusterDefaults()
            .Configure<ClusterMembershipOptions>(o => o.NumMissedProbesLimit = 4)));

        Assert.Equal(4, membership.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(2), membership.ProbeTimeout);
    }

    [Fact]
    public void ThisRepositorysSilo_UsesTheSameDefaults()
    {
        // What is tested is what users get: the silo host applies the library's call, then its configuration overrides.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Membership:TableRefreshTimeout"] = "00:00:07" })
            .Build();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            ReliableRpc.Silo.Hosting.ClusterTuning.Apply(silo, configuration);
        });
        using var host = builder.Build();
        var membership = host.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;

        Assert.Equal(ReliableRpcClusterDefaults.ProbeTimeout, membership.ProbeTimeout);
        Assert.Equal(ReliableRpcClusterDefaults.MissedProbesLimit, membership.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(7), membership.TableRefreshTimeout);
    }

    private static T Resolve<T>(Action<HostApplicationBuilder> configure) where T : class
    {
        var builder = Host.CreateApplicationBuilder();
        configure(builder);
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<T>>().Value;
    }
}
