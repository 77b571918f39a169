using Orleans.Hosting;

namespace ReliableRpc;

/// <summary>The public entry: one call on a silo or client builder adds the resilience pipeline.</summary>
public static class ReliableRpcBuilderExtensions
{
    /// <summary>
    /// Adds the pipeline to a silo: deadlines on every incoming and outgoing grain call, statuses from one table.
    /// Options are validated when the silo starts; a bad value fails the start with a message naming it.
    /// </summary>
    public static ISiloBuilder AddReliableRpc(this ISiloBuilder builder, Action<ReliableRpcOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddReliableRpcCore(configure, isSilo: true);
        return builder;
    }

    /// <summary>Adds the pipeline to a client: deadlines and statuses on every call it makes.</summary>
    public static IClientBuilder AddReliableRpc(this IClientBuilder builder, Action<ReliableRpcOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddReliableRpcCore(configure, isSilo: false);
        return builder;
    }
}
