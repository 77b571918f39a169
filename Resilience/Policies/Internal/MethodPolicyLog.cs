using Microsoft.Extensions.Logging;

namespace ReliableRpc.Policies.Internal;

/// <summary>Method policies' log events, once per method when its policy is first resolved.</summary>
internal static partial class MethodPolicyLog
{
    [LoggerMessage(EventId = 300, EventName = "MaxDeadlineRaised", Level = LogLevel.Warning,
        Message = "{Method} has [ResponseTimeout] {ResponseTimeout}, longer than Deadlines:MaxDeadline {MaxDeadline}: its calls may take up to {ResponseTimeout}")]
    public static partial void MaxDeadlineRaised(ILogger logger, string method, TimeSpan responseTimeout, TimeSpan maxDeadline);
}
