using Orleans;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Metadata.Internal;

namespace ReliableRpc.Tests.Integration.Infrastructure;

/// <summary>The faults a <see cref="MessageFaultFilter"/> injects into the ledger's calls.</summary>
public enum MessageFault
{
    /// <summary>Every attempt of every ledger call is delivered twice; the caller gets the second response.</summary>
    DeliverTwice,

    /// <summary>The first attempt of every deposit runs, but its response is lost.</summary>
    DropFirstResponse,
}

/// <summary>
/// A test filter, inside the pipeline (on the client, and with <see cref="MessageFault.DeliverTwice"/> on the silos
/// too), that delivers ledger calls twice or loses the first response of each deposit.
/// </summary>
public sealed class MessageFaultFilter(MessageFault fault) : IOutgoingGrainCallFilter
{
    /// <summary>The configuration setting that installs the filter on a test cluster's client.</summary>
    public const string Setting = "Test:MessageFault";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> InjectedByTarget = new();

    /// <summary>
    /// Faults injected so far into calls to grains whose id contains <paramref name="grainKey"/> (test classes run in
    /// parallel, each with its own cluster: count your own).
    /// </summary>
    public static int InjectedFor(string grainKey) =>
        InjectedByTarget.Where(i => i.Key.Contains(grainKey, StringComparison.Ordinal)).Sum(i => i.Value);

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var type = context.InterfaceMethod.DeclaringType;
        var targeted = fault == MessageFault.DeliverTwice
            ? type == typeof(IAccountGrain) || type == typeof(ITransferGrain)
            : context.InterfaceMethod.Name == nameof(IAccountGrain.Deposit);
        if (!targeted)
        {
            await context.Invoke();
            return;
        }

        var arguments = Enumerable.Range(0, context.Request.GetArgumentCount()).Select(context.Request.GetArgument).ToArray();
        await context.Invoke();
        switch (fault)
        {
            case MessageFault.DeliverTwice:
                InjectedByTarget.AddOrUpdate(context.TargetId.ToString(), 1, (_, n) => n + 1);
                for (var i = 0; i < arguments.Length; i++)
                {
                    context.Request.SetArgument(i, arguments[i]!);
                }

                await context.Invoke();
                break;
            case MessageFault.DropFirstResponse when Orleans.Runtime.RequestContext.Get(CallMetadataCarrier.Key) is CallMetadata { Attempt: 1 }:
                InjectedByTarget.AddOrUpdate(context.TargetId.ToString(), 1, (_, n) => n + 1);
                throw new RpcException(RpcStatus.Unavailable, "injected: the response was lost");
        }
    }
}
