using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Silo.FaultInjection;

/// <summary>
/// Injects <see cref="InjectedFault"/>s into the ledger's incoming calls (accounts and transfers), inside the
/// pipeline's incoming filter, so the pipeline and the grains see what a flaky network and a buggy proxy would
/// give them: failures, lost responses, delays and duplicate deliveries. Each fault is logged with the prefix
/// <see cref="LogPrefix"/> so a chaos run can count what it applied.
/// </summary>
internal sealed partial class FaultInjectionFilter(IOptions<FaultInjectionOptions> options, ILogger<FaultInjectionFilter> logger) : IIncomingGrainCallFilter
{
    /// <summary>Start of every log line about an injected fault.</summary>
    public const string LogPrefix = "Injected fault";

    private readonly FaultInjectionOptions _options = options.Value;
    private readonly Random _random = new(options.Value.Seed);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var type = context.InterfaceMethod?.DeclaringType;
        if (type != typeof(IAccountGrain) && type != typeof(ITransferGrain))
        {
            await context.Invoke();
            return;
        }

        var (fault, delay) = Choose();
        if (fault is null)
        {
            await context.Invoke();
            return;
        }

        LogInjected(logger, LogPrefix, fault.Value, context.InterfaceMethod!.Name);
        switch (fault.Value)
        {
            case InjectedFault.Error:
                throw new RpcException(RpcStatus.Unavailable, "injected: the call failed before the method ran");
            case InjectedFault.LostResponse:
                await context.Invoke();
                throw new RpcException(RpcStatus.Unavailable, "injected: the response was lost");
            case InjectedFault.Delay:
                await Task.Delay(delay);
                await context.Invoke();
                break;
            case InjectedFault.Duplicate:
                var arguments = new object?[context.Request.GetArgumentCount()];
                for (var i = 0; i < arguments.Length; i++)
                {
                    arguments[i] = context.Request.GetArgument(i);
                }

                await context.Invoke();
                for (var i = 0; i < arguments.Length; i++)
                {
                    context.Request.SetArgument(i, arguments[i]!);
                }

                await context.Invoke();
                break;
        }
    }

    private (InjectedFault? Fault, TimeSpan Delay) Choose()
    {
        double draw, delayDraw;
        lock (_random)
        {
            draw = _random.NextDouble();
            delayDraw = _random.NextDouble();
        }

        var o = _options;
        if ((draw -= o.ErrorRate) < 0) return (InjectedFault.Error, default);
        if ((draw -= o.LostResponseRate) < 0) return (InjectedFault.LostResponse, default);
        if ((draw -= o.DelayRate) < 0) return (InjectedFault.Delay, o.MaxDelay * delayDraw);
        if ((draw -= o.DuplicateRate) < 0) return (InjectedFault.Duplicate, default);
        return (null, default);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Prefix} {Fault} into {Method}")]
    private static partial void LogInjected(ILogger logger, string prefix, InjectedFault fault, string method);
}
