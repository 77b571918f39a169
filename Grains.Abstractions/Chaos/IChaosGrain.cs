using System.Diagnostics.CodeAnalysis;
using Orleans;
using Orleans.Concurrency;

namespace ReliableRpc.Grains.Chaos;

/// <summary>
/// A grain that misbehaves on request, for tests and the demo: relays calls along a chain of its kind,
/// hangs, fails with a chosen status, or counts what it ran. Everything it does is deterministic.
/// </summary>
/// <remarks>
/// Every method but <see cref="Relay"/> is at most once: each execution is counted (<see cref="GetCounters"/>) or
/// delivers a failure, and the tests compare what they see with the calls they made, so a repeat would show. The
/// retry tests that want repeats use <see cref="Relay"/>.
/// </remarks>
[Alias("ReliableRpc.Chaos.IChaosGrain")]
public interface IChaosGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records what this hop sees, then calls the next grain of <see cref="RelayPlan.NextHops"/>; the last hop
    /// performs <see cref="RelayPlan.LastHop"/>. Returns one observation per hop, this one first.
    /// </summary>
    [Idempotent]
    [Alias("Relay")]
    Task<IReadOnlyList<HopObservation>> Relay(RelayPlan plan, CancellationToken cancellationToken = default);

    /// <summary>Counts one execution and returns the count.</summary>
    [AtMostOnce]
    [Alias("Count")]
    Task<int> Count(CancellationToken cancellationToken = default);

    /// <summary>Waits until its token is cancelled (counting the cancellation), or until <paramref name="limit"/>.</summary>
    [AtMostOnce]
    [Alias("Hang")]
    Task Hang(TimeSpan limit, CancellationToken cancellationToken = default);

    /// <summary>Sleeps without a token to cancel it: the deadline can only abandon this call.</summary>
    [AtMostOnce]
    [SuppressMessage("ReliableRpc.Deadlines", "RRPC003", Justification = "Uncancellable on purpose: tests what a deadline does to such a method.")]
    [Alias("SleepWithoutToken")]
    Task SleepWithoutToken(TimeSpan duration);

    /// <summary>Fails with <paramref name="status"/>.</summary>
    [AtMostOnce]
    [Alias("Fail")]
    Task Fail(RpcStatus status, bool notExecuted, CancellationToken cancellationToken = default);

    /// <summary>Throws <paramref name="exceptionType"/> (an exception type name known to the silo), for the status table.</summary>
    [AtMostOnce]
    [Alias("Throw")]
    Task Throw(string exceptionType, CancellationToken cancellationToken = default);

    /// <summary>Echoes an <see cref="RpcException"/> built from the arguments (a round trip of every field).</summary>
    [AtMostOnce]
    [Alias("ThrowRpc")]
    Task ThrowRpc(RpcStatus status, string detail, bool notExecuted, TimeSpan? retryAfter, CancellationToken cancellationToken = default);

    /// <summary>Receives <paramref name="data"/> and returns its length (for request size limits).</summary>
    [AtMostOnce]
    [Alias("Swallow")]
    Task<int> Swallow(byte[] data, CancellationToken cancellationToken = default);

    /// <summary>Returns <paramref name="bytes"/> bytes (for response size limits).</summary>
    [AtMostOnce]
    [Alias("Produce")]
    Task<byte[]> Produce(int bytes, CancellationToken cancellationToken = default);

    /// <summary>What this activation counted. Interleaves, so it answers while another call hangs.</summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("GetCounters")]
    Task<ChaosCounters> GetCounters(CancellationToken cancellationToken = default);
}
