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

        ValidatePollyBreaker("ReliableRpc:StorageGate", gate.FailureRatio, gate.MinimumThroughput, gate.SamplingDuration, gate.BreakDuration, failures);
    }

    /// <summary>What Polly's circuit breaker refuses at build time, checked at start with the setting's name instead.</summary>
    private static void ValidatePollyBreaker(string section, double failureRatio, int minimumThroughput, TimeSpan samplingDuration, TimeSpan breakDuration, List<string> failures)
    {
        if (failureRatio is <= 0 or > 1)
        {
            failures.Add($"{section}:FailureRatio must be in (0, 1] (was {failureRatio}).");
        }

        if (minimumThroughput < 2)
        {
            failures.Add($"{section}:MinimumThroughput must be at least 2 (was {minimumThroughput}).");
        }

        if (samplingDuration < TimeSpan.FromMilliseconds(500) || breakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{section}:SamplingDuration and BreakDuration must be at least 500 ms (were {samplingDuration} and {breakDuration}).");
        }
    }

    private static void ValidateBrakes(ReliableRpcOptions options, List<string> failures)
    {
        if (options.CircuitBreaker is not { } breaker || options.Shedding is not { } shedding || options.MessageSize is not { } size)
        {
            failures.Add("ReliableRpc:CircuitBreaker, Shedding and MessageSize must be set.");
            return;
        }

        ValidatePollyBreaker("ReliableRpc:CircuitBreaker", breaker.FailureRatio, breaker.MinimumThroughput, breaker.SamplingDuration, breaker.BreakDuration, failures);

        if (shedding.MaxConcurrentClientCalls < 1)
        {
            failures.Add($"ReliableRpc:Shedding:MaxConcurrentClientCalls must be at least 1 (was {shedding.MaxConcurrentClientCalls}).");
        }

        if (shedding.MinConcurrentClientCalls < 1)
        {
            failures.Add($"ReliableRpc:Shedding:MinConcurrentClientCalls must be at least 1 (was {shedding.MinConcurrentClientCalls}).");
        }

        if (!(shedding.LatencyTolerance is >= 0.05 and <= 10))
        {
            failures.Add($"ReliableRpc:Shedding:LatencyTolerance must be between 0.05 and 10 (was {shedding.LatencyTolerance}).");
        }

        if (shedding.UpdateInterval < TimeSpan.FromMilliseconds(10) || shedding.MinLatencyWindow < shedding.UpdateInterval * 10)
        {
            failures.Add($"ReliableRpc:Shedding:UpdateInterval must be at least 10 ms and MinLatencyWindow at least ten times it (were {shedding.UpdateInterval} and {shedding.MinLatencyWindow}).");
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
