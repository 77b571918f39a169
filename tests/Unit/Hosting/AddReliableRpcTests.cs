using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Messaging;

namespace ReliableRpc.Tests.Unit.Hosting;

public class AddReliableRpcTests
{
    [Fact]
    public void AddReliableRpc_Disabled_RegistersNoFilter()
    {
        var services = new ServiceCollection();
        services.AddReliableRpcCore(o => o.Enabled = false, isSilo: true);

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IOutgoingGrainCallFilter) || d.ServiceType == typeof(IIncomingGrainCallFilter));
    }

    [Fact]
    public void AddReliableRpc_Silo_RegistersOneIncomingAndOneOutgoingFilter()
    {
        var services = new ServiceCollection();
        services.AddReliableRpcCore(null, isSilo: true);

        Assert.Single(services, d => d.ServiceType == typeof(IOutgoingGrainCallFilter));
        Assert.Single(services, d => d.ServiceType == typeof(IIncomingGrainCallFilter));
    }

    [Fact]
    public void AddReliableRpc_Client_RegistersOnlyTheOutgoingFilter()
    {
        var services = new ServiceCollection();
        services.AddReliableRpcCore(null, isSilo: false);

        Assert.Single(services, d => d.ServiceType == typeof(IOutgoingGrainCallFilter));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IIncomingGrainCallFilter));
    }

    [Fact]
    public void AddReliableRpc_Client_WatchesItsGatewayConnections_AndTheFilterGetsTheSignal()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReliableRpcCore(null, isSilo: false);
        using var provider = services.BuildServiceProvider();

        var observer = Assert.Single(provider.GetServices<IClusterConnectionStatusObserver>());
        Assert.Same(provider.GetRequiredService<ReliableRpc.Pipeline.Internal.GatewayLossSignal>(), observer);
        Assert.NotNull(provider.GetRequiredService<IOutgoingGrainCallFilter>());
    }

    [Fact]
    public async Task AddReliableRpc_Client_KeepsAStoppingGatewayConnectedForItsDrain_OverTheClusteringProvidersList()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IGatewayListProvider, FixedGateways>();
        services.AddReliableRpcCore(o => o.Drain.StoppingGatewayKeptFor = TimeSpan.FromSeconds(12), isSilo: false);
        using var provider = services.BuildServiceProvider();

        var gateways = provider.GetRequiredService<IGatewayListProvider>();

        // Orleans ends a gateway's "stop sending" mark after MaxStaleness: it must outlast a graceful stop.
        Assert.Equal(TimeSpan.FromSeconds(12), gateways.MaxStaleness);
        Assert.IsType<FixedGateways>(Assert.IsType<ReliableRpc.Draining.Internal.DrainAwareGatewayListProvider>(gateways).Inner);
        Assert.Equal(FixedGateways.List, await gateways.GetGateways());
    }

    [Fact]
    public void AddReliableRpc_Silo_LeavesTheGatewayListAlone()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IGatewayListProvider, FixedGateways>();
        services.AddReliableRpcCore(null, isSilo: true);
        using var provider = services.BuildServiceProvider();

        Assert.IsType<FixedGateways>(provider.GetRequiredService<IGatewayListProvider>());
    }

    private sealed class FixedGateways : IGatewayListProvider
    {
        public static readonly IList<Uri> List = [new("gwy.tcp://127.0.0.1:30000/0")];

        public TimeSpan MaxStaleness => TimeSpan.FromSeconds(1);

        [Obsolete("required by the interface")]
        public bool IsUpdatable => true;

        public Task InitializeGatewayListProvider() => Task.CompletedTask;

        public Task<IList<Uri>> GetGateways() => Task.FromResult(List);
    }

    [Fact]
    public void AddReliableRpc_Silo_DoesNotWatchGateways()
    {
        var services = new ServiceCollection();
        services.AddReliableRpcCore(null, isSilo: true);

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IClusterConnectionStatusObserver));
    }

    [Theory]
    [InlineData(0, 30, "DefaultDeadline")]
    [InlineData(40, 30, "DefaultDeadline")]
    [InlineData(10, 0, "MaxDeadline")]
    public void Options_BadDeadlines_FailNamingTheSetting(int defaultSeconds, int maxSeconds, string setting)
    {
        var services = new ServiceCollection();
        services.AddReliableRpcCore(o =>
        {
            o.Deadlines.DefaultDeadline = TimeSpan.FromSeconds(defaultSeconds);
            o.Deadlines.MaxDeadline = TimeSpan.FromSeconds(maxSeconds);
        }, isSilo: true);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ReliableRpcOptions>>().Value);
        Assert.Contains($"ReliableRpc:Deadlines:{setting}", error.Message);
    }

    [Fact]
    public void AddReliableRpc_SetsOrleansTimeoutAsBackstopAboveMaxDeadline()
    {
        var services = new ServiceCollection();
        services.AddReliableRpcCore(o => o.Deadlines.MaxDeadline = TimeSpan.FromSeconds(45), isSilo: true);
        using var provider = services.BuildServiceProvider();

        var messaging = provider.GetRequiredService<IOptions<SiloMessagingOptions>>().Value;
        Assert.True(messaging.CancelRequestOnTimeout);
        Assert.True(messaging.ResponseTimeout > TimeSpan.FromSeconds(45));
    }
}
