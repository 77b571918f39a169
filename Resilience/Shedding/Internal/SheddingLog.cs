using Microsoft.Extensions.Logging;

namespace ReliableRpc.Shedding.Internal;

/// <summary>Shedding's log events, at most one a second.</summary>
internal static partial class SheddingLog
{
    [LoggerMessage(EventId = 200, EventName = "CallsShed", Level = LogLevel.Warning,
        Message = "Shedding client calls: {Shed} refused in the last {Seconds:0.0} s, limit {Limit} concurrent client calls")]
    public static partial void Shedding(ILogger logger, long shed, double seconds, int limit);
}
