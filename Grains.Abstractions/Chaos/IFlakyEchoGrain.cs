using System.Diagnostics.CodeAnalysis;
using Orleans;
using Orleans.Concurrency;

namespace ReliableRpc.Grains.Chaos;

/// <summary>Echoes its argument, failing its first <c>n</c> executions; records every argument it received.</summary>
[Alias("ReliableRpc.Chaos.IFlakyEchoGrain")]
public interface IFlakyEchoGrain : IGrainWithStringKey
{
    /// <summary>Sets how many executions fail (with Unavailable, after running) before it answers. Sets a value: idempotent.</summary>
    [Idempotent]
    [Alias("FailFirst")]
    Task FailFirst(int failures, CancellationToken cancellationToken = default);

    /// <summary>Echoes <paramref name="payload"/>, unless one of the first failures is due.</summary>
    [Idempotent]
    [Alias("Echo")]
    Task<string> Echo(string payload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the next execution of an echo stall for <paramref name="stall"/> before it answers, without watching its
    /// token (as a slow storage write would). Sets a value: idempotent.
    /// </summary>
    [Idempotent]
    [Alias("StallNext")]
    Task StallNext(TimeSpan stall, CancellationToken cancellationToken = default);

    /// <summary>Echoes <paramref name="payload"/> as <see cref="Echo"/> does, without a token: a deadline can only abandon it.</summary>
    [Idempotent]
    [SuppressMessage("ReliableRpc.Deadlines", "RRPC003", Justification = "Uncancellable on purpose: tests a retry while an abandoned attempt is still waiting for its reply.")]
    [Alias("EchoWithoutToken")]
    Task<string> EchoWithoutToken(string payload);

    /// <summary>How many stalled echoes have ended (see <see cref="StallNext"/>). Interleaves, so it answers during a stall.</summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("GetStallsEnded")]
    Task<int> GetStallsEnded(CancellationToken cancellationToken = default);

    /// <summary>Every payload received, in order (an attempt with reset arguments shows as null).</summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("GetReceived")]
    Task<IReadOnlyList<string?>> GetReceived(CancellationToken cancellationToken = default);
}

/// <summary>Calls another grain from a grain timer: an edge inside a silo.</summary>
[Alias("ReliableRpc.Chaos.ITimerCallerGrain")]
public interface ITimerCallerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Activates <paramref name="echoKey"/> (on this silo, it prefers local placement) set to fail once, then
    /// starts a one-shot timer that calls <see cref="IFlakyEchoGrain.Echo"/> on it. At most once: a repeat would
    /// start a second timer, whose call the test would see.
    /// </summary>
    [AtMostOnce]
    [Alias("CallFromTimer")]
    Task CallFromTimer(string echoKey, string payload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Activates <paramref name="echoKey"/> (on this silo) set to stall its next echo for <paramref name="stall"/>, then
    /// starts a one-shot timer that calls <see cref="IFlakyEchoGrain.Echo"/> on it: a stall longer than the attempt
    /// timeout makes the retry queue behind the abandoned attempt, in the same silo. At most once, as above.
    /// </summary>
    [AtMostOnce]
    [Alias("CallStalledFromTimer")]
    Task CallStalledFromTimer(string echoKey, string payload, TimeSpan stall, CancellationToken cancellationToken = default);

    /// <summary>The timer call's result, or its failure's status; null while it runs.</summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("GetOutcome")]
    Task<string?> GetOutcome(CancellationToken cancellationToken = default);

    /// <summary>The silo this activation lives on.</summary>
    [AlwaysInterleave]
    [Idempotent]
    [Alias("GetSilo")]
    Task<string> GetSilo(CancellationToken cancellationToken = default);
}
