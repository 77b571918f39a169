using Orleans;
using Orleans.Concurrency;

namespace ReliableRpc.Grains.Chaos;

/// <summary>
/// An interface of its own for circuit breaker tests (a circuit is per interface, so tripping this one leaves
/// every other interface alone). Not idempotent: one execution per call.
/// </summary>
[Alias("ReliableRpc.Chaos.IBreakerProbeGrain")]
public interface IBreakerProbeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Counts an execution, then fails with Internal when <paramref name="fail"/> is set. At most once: the tests
    /// compare the count with the calls they made.
    /// </summary>
    [AtMostOnce]
    [Alias("Work")]
    Task<int> Work(bool fail, CancellationToken cancellationToken = default);
}

/// <summary>Reads a probe's execution count through another interface, whose circuit is not the probe's.</summary>
[Alias("ReliableRpc.Chaos.IExecutionCounter")]
public interface IExecutionCounter : IGrainWithStringKey
{
    /// <summary>Executions so far.</summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("GetExecutions")]
    Task<int> GetExecutions(CancellationToken cancellationToken = default);
}
