using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using ReliableRpc.Hosting;
using ReliableRpc.Pipeline.Internal;
using ReliableRpc.Policies.Internal;
using ReliableRpc.Retries.Internal;
using ReliableRpc.Shedding.Internal;
using ReliableRpc.Storage.Internal;

namespace ReliableRpc;

/// <summary>Registers the pipeline; <c>AddReliableRpc</c> on silo and client builders forwards here.</summary>
internal static class ReliableRpcServiceCollectionExtensions
{
    /// <summary>Orleans' response timeout sits this far above the longest deadline: a backstop, never the limit.</summary>
    internal static readonly TimeSpan ResponseTimeoutMargin = TimeSpan.FromSeconds(2);

    public static void AddReliableRpcCore(this IServiceCollection services, Action<ReliableRpcOptions>? configure, bool isSilo)
    {
        var optionsBuilder = services.AddOptions<ReliableRpcOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReliableRpcOptions>, ReliableRpcOptionsValidator>());

        services.TryAddKeyedSingleton(ReliableRpcServices.TimeProviderKey, TimeProvider.System);
        if (isSilo)
        {
            // Grains take the guard in their constructors, so it is there even with the pipeline off (without
            // keys it just applies and writes).
            services.TryAddSingleton<IdempotencyGuard>();
            services.TryAddSingleton<StorageGate>();
        }

        // Which filters to register is decided here, from the options as configured by every call so far: with the
        // pipeline off, Orleans keeps its filter-free fast path.
        var registration = Registration(services);
        if (configure is not null)
        {
            registration.Configures.Add(configure);
        }

        var probe = new ReliableRpcOptions();
        foreach (var step in registration.Configures)
        {
            step(probe);
        }

        if (!probe.Enabled)
        {
            // A later call that turns the pipeline off removes the filters an earlier one added.
            RemoveOwn(services, typeof(IOutgoingGrainCallFilter), typeof(OutgoingCallFilter));
            RemoveOwn(services, typeof(IIncomingGrainCallFilter), typeof(IncomingCallFilter));
            RemoveOwn(services, typeof(IClusterConnectionStatusObserver), typeof(GatewayLossSignal));
            return;
        }

        services.TryAddSingleton<MethodPolicyCache>();
        services.TryAddSingleton<RetryBudget>();
        services.TryAddSingleton(sp => new JitterSource(sp.GetRequiredService<IOptions<ReliableRpcOptions>>().Value.Retries.JitterSeed));
        services.TryAddSingleton<IRetryRequests, RetryRequests>();
        // The pipeline is the outermost filter whatever the order of registration: a user's filter runs inside it, once
        // per attempt, and sees a failed attempt throw from Invoke() as in plain Orleans. Orleans runs filters in the
        // order they were registered, so ours goes first; a second AddReliableRpc moves it, never adds another.
        AddFirst(services, ServiceDescriptor.Singleton<IOutgoingGrainCallFilter, OutgoingCallFilter>());
        if (!isSilo)
        {
            // Attempts through a gateway the client dropped are not completed by Orleans until they time out.
            services.TryAddSingleton<GatewayLossSignal>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IClusterConnectionStatusObserver, GatewayLossSignal>(sp => sp.GetRequiredService<GatewayLossSignal>()));
        }

        if (isSilo)
        {
            services.TryAddSingleton<ClientCallGate>();
            services.TryAddSingleton<RequestFingerprint>();
            AddFirst(services, ServiceDescriptor.Singleton<IIncomingGrainCallFilter, IncomingCallFilter>());

            // Orleans' per-activation queue limit is off by default: bound the queues, so a hot grain refuses
            // new work (ResourceExhausted, NotExecuted) instead of queueing without end.
            services.AddOptions<SiloMessagingOptions>().PostConfigure<IOptions<ReliableRpcOptions>>((o, rpc) =>
            {
                if (o.ClientGatewayShutdownNotificationTimeout < rpc.Value.Drain.ClientNotificationDelay)
                {
                    o.ClientGatewayShutdownNotificationTimeout = rpc.Value.Drain.ClientNotificationDelay;
                }

                var limit = rpc.Value.Shedding.MaxQueuedPerActivation;
                if (rpc.Value.Shedding.Enabled && limit > 0 && (o.MaxEnqueuedRequestsHardLimit <= 0 || o.MaxEnqueuedRequestsHardLimit > limit))
                {
                    o.MaxEnqueuedRequestsHardLimit = limit;
                }
            });
        }

        // Deadlines end calls; Orleans' timeout is only the backstop above the longest one, and a timed-out
        // request is cancelled at its target instead of running on.
        services.AddOptions<SiloMessagingOptions>().PostConfigure<IOptions<ReliableRpcOptions>>((o, rpc) => Backstop(o, rpc.Value));
        services.AddOptions<ClientMessagingOptions>().PostConfigure<IOptions<ReliableRpcOptions>>((o, rpc) => Backstop(o, rpc.Value));
    }

    /// <summary>The configure steps of every AddReliableRpc on this collection, kept in one marker service.</summary>
    private static ReliableRpcRegistration Registration(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(ReliableRpcRegistration))?.ImplementationInstance is ReliableRpcRegistration existing)
        {
            return existing;
        }

        var registration = new ReliableRpcRegistration();
        services.AddSingleton(registration);
        return registration;
    }

    /// <summary>Registers <paramref name="descriptor"/> before every other service of its type, once.</summary>
    private static void AddFirst(IServiceCollection services, ServiceDescriptor descriptor)
    {
        RemoveOwn(services, descriptor.ServiceType, descriptor.ImplementationType!);
        services.Insert(0, descriptor);
    }

    private static void RemoveOwn(IServiceCollection services, Type serviceType, Type implementationType)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == serviceType && !descriptor.IsKeyedService
                && (descriptor.ImplementationType ?? descriptor.ImplementationFactory?.Method.ReturnType) == implementationType)
            {
                services.RemoveAt(i);
            }
        }
    }

    private static void Backstop(MessagingOptions messaging, ReliableRpcOptions options)
    {
        messaging.CancelRequestOnTimeout = true;

        // A request that waited past its time to live is dropped unrun: what bounds how late a repeat of a key can
        // run, and so how long its record must be kept (RepeatHorizon).
        messaging.DropExpiredMessages = true;
        var backstop = options.Deadlines.MaxDeadline + ResponseTimeoutMargin;
        if (messaging.ResponseTimeout < backstop)
        {
            messaging.ResponseTimeout = backstop;
        }
    }
}
