using ReliableRpc.Idempotency.Internal;
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

        ValidateRetries(options.Retries, deadlines, failures);
        ValidateBrakes(options, failures);
        ValidateStorageGate(options.StorageGate, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateStorageGate(StorageGateOptions? gate, List<string> failures)
    {
        if (gate is null)
        {
            failures.Add("ReliableRpc:StorageGate must be set.");
            return;
        }

        if (gate.StallThreshold <= TimeSpan.Zero)
        {
            failures.Add($"ReliableRpc:StorageGate:StallThreshold must be positive (was {gate.StallThreshold}).");
        }

        if (gate.FailureRatio is <= 0 or > 1)
        {
            failures.Add($"ReliableRpc:StorageGate:FailureRatio must be in (0, 1] (was {gate.FailureRatio}).");
        }

        if (gate.MinimumThroughput < 2)
        {
            failures.Add($"ReliableRpc:StorageGate:MinimumThroughput must be at least 2 (was {gate.MinimumThroughput}).");
        }

        // Polly's circuit breaker refuses shorter windows and breaks.
        if (gate.SamplingDuration < TimeSpan.FromMilliseconds(500) || gate.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"ReliableRpc:StorageGate:SamplingDuration and BreakDuration must be at least 500 ms (were {gate.SamplingDuration} and {gate.BreakDuration}).");
        }
    }

    private static void ValidateBrakes(ReliableRpcOptions options, List<string> failures)
    {
        if (options.CircuitBreaker is not { } breaker || options.Shedding is not { } shedding || options.MessageSize is not { } size)
        {
            failures.Add("ReliableRpc:CircuitBreaker, Shedding and MessageSize must be set.");
            return;
        }

        if (breaker.FailureRatio is <= 0 or > 1)
        {
            failures.Add($"ReliableRpc:CircuitBreaker:FailureRatio must be in (0, 1] (was {breaker.FailureRatio}).");
        }

        if (breaker.MinimumThroughput < 2)
        {
            failures.Add($"ReliableRpc:CircuitBreaker:MinimumThroughput must be at least 2 (was {breaker.MinimumThroughput}).");
        }

        if (breaker.SamplingDuration < TimeSpan.FromMilliseconds(500) || breaker.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"ReliableRpc:CircuitBreaker:SamplingDuration and BreakDuration must be at least 500 ms (were {breaker.SamplingDuration} and {breaker.BreakDuration}).");
        }

        if (shedding.MaxConcurrentClientCalls < 1)
        {
            failures.Add($"ReliableRpc:Shedding:MaxConcurrentClientCalls must be at least 1 (was {shedding.MaxConcurrentClientCalls}).");
        }

        if (shedding.RetryAfter <= TimeSpan.Zero)
        {
            failures.Add($"ReliableRpc:Shedding:RetryAfter must be positive (was {shedding.RetryAfter}).");
        }

        if (shedding.MaxQueuedPerActivation < 0)
        {
            failures.Add($"ReliableRpc:Shedding:MaxQueuedPerActivation must be at least 0 (was {shedding.MaxQueuedPerActivation}).");
        }

        if (options.Idempotency is not { } idempotency || idempotency.MaxRecords < 1 || idempotency.ClockSkewAllowance < TimeSpan.Zero
            || idempotency.Retention < RepeatHorizon.Of(options.Deadlines.MaxDeadline, options.Deadlines.MaxDeadline + ReliableRpcServiceCollectionExtensions.ResponseTimeoutMargin, idempotency.ClockSkewAllowance))
        {
            failures.Add($"ReliableRpc:Idempotency:Retention must be at least twice Deadlines:MaxDeadline ({options.Deadlines.MaxDeadline}) plus 2 s plus ClockSkewAllowance, the longest a repeat of an edge's retries can still run; MaxRecords at least 1; ClockSkewAllowance not negative.");
        }

        if (options.Idempotency is { } limits && limits.RecordLimit < limits.MaxRecords)
        {
            failures.Add($"ReliableRpc:Idempotency:RecordLimit must be at least MaxRecords ({limits.MaxRecords}); was {limits.RecordLimit}.");
        }

        if (options.Drain is null || options.Drain.ClientNotificationDelay < TimeSpan.Zero || options.Drain.ClientNotificationDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add("ReliableRpc:Drain:ClientNotificationDelay must be between 0 and 1 minute.");
        }

        if (size.MaxRequestBytes < 1024 || size.MaxResponseBytes < 1024)
        {
            failures.Add($"ReliableRpc:MessageSize:MaxRequestBytes and MaxResponseBytes must be at least 1024 (were {size.MaxRequestBytes} and {size.MaxResponseBytes}).");
        }
    }

    private static void ValidateRetries(RetryOptions? retries, DeadlineOptions deadlines, List<string> failures)
    {
        if (retries is null)
        {
            failures.Add("ReliableRpc:Retries must be set.");
            return;
        }

        if (retries.Profiles is null || !retries.Profiles.ContainsKey(RetryProfile.Interactive))
        {
            failures.Add($"ReliableRpc:Retries:Profiles must contain the '{RetryProfile.Interactive}' profile, the default.");
        }

        foreach (var (name, profile) in retries.Profiles ?? [])
        {
            var key = $"ReliableRpc:Retries:Profiles:{name}";
            if (profile.MaxAttempts is < 1 or > 100)
            {
                failures.Add($"{key}:MaxAttempts must be between 1 and 100 (was {profile.MaxAttempts}).");
            }

            if (profile.BaseDelay <= TimeSpan.Zero || profile.MaxDelay < profile.BaseDelay)
            {
                failures.Add($"{key}: BaseDelay must be positive and MaxDelay at least BaseDelay (were {profile.BaseDelay} and {profile.MaxDelay}).");
            }
        }

        if (retries.AttemptTimeout <= TimeSpan.Zero || retries.AttemptTimeout > deadlines.MaxDeadline)
        {
            failures.Add($"ReliableRpc:Retries:AttemptTimeout must be positive and at most Deadlines:MaxDeadline (was {retries.AttemptTimeout}).");
        }

        if (retries.MinAttemptBudget < TimeSpan.Zero || retries.MinAttemptBudget >= deadlines.DefaultDeadline)
        {
            failures.Add($"ReliableRpc:Retries:MinAttemptBudget must be at least zero and below Deadlines:DefaultDeadline (was {retries.MinAttemptBudget}).");
        }

        var budget = retries.Budget;
        if (budget is null || budget.Ratio is < 0 or > 10 || budget.MinRetriesPerSecond < 0 || budget.MaxSaved < 1)
        {
            failures.Add("ReliableRpc:Retries:Budget: Ratio must be in [0, 10], MinRetriesPerSecond at least 0 and MaxSaved at least 1.");
        }
    }
}
