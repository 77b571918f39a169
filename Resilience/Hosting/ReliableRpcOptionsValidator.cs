using Microsoft.Extensions.Options;

namespace ReliableRpc.Hosting;

/// <summary>Checks the options once, at start; each failure names the setting and its value.</summary>
internal sealed class ReliableRpcOptionsValidator : IValidateOptions<ReliableRpcOptions>
{
    public ValidateOptionsResult Validate(string? name, ReliableRpcOptions options)
    {
        var failures = new List<string>();
        var deadlines = options.Deadlines;
        if (deadlines is null)
        {
            return ValidateOptionsResult.Fail("ReliableRpc:Deadlines must be set.");
        }

        if (deadlines.MaxDeadline <= TimeSpan.Zero)
        {
            failures.Add($"ReliableRpc:Deadlines:MaxDeadline must be positive (was {deadlines.MaxDeadline}).");
        }

        if (deadlines.DefaultDeadline <= TimeSpan.Zero || deadlines.DefaultDeadline > deadlines.MaxDeadline)
        {
            failures.Add($"ReliableRpc:Deadlines:DefaultDeadline must be positive and at most MaxDeadline {deadlines.MaxDeadline} (was {deadlines.DefaultDeadline}).");
        }

        if (deadlines.MaxDeadline > TimeSpan.FromMilliseconds(uint.MaxValue))
        {
            failures.Add($"ReliableRpc:Deadlines:MaxDeadline must be under 49 days (was {deadlines.MaxDeadline}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
