using Microsoft.Extensions.Logging;

namespace ReliableRpc.CircuitBreaking.Internal;

/// <summary>The circuit breaker's log events: one per transition, never one per call.</summary>
internal static partial class CircuitBreakerLog
{
    [LoggerMessage(EventId = 100, EventName = "CircuitOpened", Level = LogLevel.Warning,
        Message = "Circuit for {Interface} opened for {BreakDuration}: overload failures passed the threshold (last: {LastFailure})")]
    public static partial void Opened(ILogger logger, string @interface, TimeSpan breakDuration, string? lastFailure);

    [LoggerMessage(EventId = 101, EventName = "CircuitHalfOpened", Level = LogLevel.Warning,
        Message = "Circuit for {Interface} half-open: letting a probe call through")]
    public static partial void HalfOpened(ILogger logger, string @interface);

    [LoggerMessage(EventId = 102, EventName = "CircuitClosed", Level = LogLevel.Warning,
        Message = "Circuit for {Interface} closed: calls flow again")]
    public static partial void Closed(ILogger logger, string @interface);
}
