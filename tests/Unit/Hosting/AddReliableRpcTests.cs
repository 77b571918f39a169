using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;

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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OnePipelinePerRegistration(bool isSilo)
    {
        // Issue 24: a second AddReliableRpc (a library adding it again, say) must not run every call through two pipelines.
        var services = new ServiceCollection();
        services.AddReliableRpcCore(null, isSilo);
        services.AddReliableRpcCore(o => o.Retries.Enabled = false, isSilo);

        Assert.Single(services, d => d.ServiceType == typeof(IOutgoingGrainCallFilter));
        Assert.Equal(isSilo ? 1 : 0, services.Count(d => d.ServiceType == typeof(IIncomingGrainCallFilter)));
        Assert.Equal(isSilo ? 0 : 1, services.Count(d => d.ServiceType == typeof(IClusterConnectionStatusObserver)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ThePipelineIsTheFirstFilter_WhateverTheOrderOfRegistration(bool userFiltersFirst)
    {
        // Issue 24: Orleans runs filters in the order they were registered. A user's filter registered before the
        // pipeline saw a failed call return normally, the failure only in the response, and one call for all attempts.
        var services = new ServiceCollection();
        if (userFiltersFirst)
        {
            services.AddSingleton<IOutgoingGrainCallFilter, UserFilter>();
            services.AddSingleton<IIncomingGrainCallFilter, UserFilter>();
        }

        services.AddReliableRpcCore(null, isSilo: true);
        services.AddSingleton<IOutgoingGrainCallFilter, UserFilter>();
        services.AddSingleton<IIncomingGrainCallFilter, UserFilter>();
        services.AddReliableRpcCore(null, isSilo: true);

        var outgoing = services.Where(d => d.ServiceType == typeof(IOutgoingGrainCallFilter)).Select(d => d.ImplementationType).ToList();
        var incoming = services.Where(d => d.ServiceType == typeof(IIncomingGrainCallFilter)).Select(d => d.ImplementationType).ToList();
        Assert.Equal(typeof(ReliableRpc.Pipeline.Internal.OutgoingCallFilter), outgoing[0]);
        Assert.Equal(typeof(ReliableRpc.Pipeline.Internal.IncomingCallFilter), incoming[0]);
        Assert.Equal(userFiltersFirst ? 3 : 2, outgoing.Count);
        Assert.Equal(userFiltersFirst ? 3 : 2, incoming.Count);
    }

    private sealed class UserFilter : IOutgoingGrainCallFilter, IIncomingGrainCallFilter
    {
        public Task Invoke(IOutgoingGrainCallContext context) => context.Invoke();

        public Task Invoke(IIncomingGrainCallContext context) => context.Invoke();
    }

    [Fact]
    public void OnePipelinePerRegistration_ASecondCallThatDisables_LeavesNoFilterRunning()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReliableRpcCore(null, isSilo: true);
        services.AddReliableRpcCore(o => o.Enabled = false, isSilo: true);

        // The options are the sum of both calls, so the pipeline is off: no filter may be left to run on them.
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IOutgoingGrainCallFilter) || d.ServiceType == typeof(IIncomingGrainCallFilter));
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
    public void Options_ARecordLimitBelowMaxRecords_FailsNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddReliableRpcCore(o =>
        {
            o.Idempotency.MaxRecords = 500;
            o.Idempotency.RecordLimit = 400;
        }, isSilo: true);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ReliableRpcOptions>>().Value);
        Assert.Contains("ReliableRpc:Idempotency:RecordLimit must be at least MaxRecords (500); was 400", error.Message);
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

    [Fact]
    public void Options_ARetentionShorterThanTheRepeatHorizon_FailsNamingTheSetting()
    {
        // Issue 23, finding 7: a record must outlive the last retry's send plus its longest wait in Orleans' queues.
        var services = new ServiceCollection();
        services.AddReliableRpcCore(o => o.Idempotency.Retention = TimeSpan.FromSeconds(60), isSilo: true);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ReliableRpcOptions>>().Value);
        Assert.Contains("ReliableRpc:Idempotency:Retention must be at least twice Deadlines:MaxDeadline", error.Message);
    }

    [Fact]
    public void AddReliableRpc_KeepsExpiredRequestsDropped_WhichBoundsHowLateARepeatRuns()
    {
        var services = new ServiceCollection();
        services.AddReliableRpcCore(configure: null, isSilo: true);
        services.Configure<SiloMessagingOptions>(o => o.DropExpiredMessages = false);
        using var provider = services.BuildServiceProvider();

        Assert.True(provider.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.DropExpiredMessages);
    }
}
