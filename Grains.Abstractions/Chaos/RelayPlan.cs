using Orleans;

namespace ReliableRpc.Grains.Chaos;

/// <summary>What the last hop of a relay does.</summary>
public enum LastHopAction
{
    /// <summary>Return at once.</summary>
    Succeed = 0,

    /// <summary>Wait until the call's token is cancelled.</summary>
    Hang = 1,

    /// <summary>Fail with <see cref="RelayPlan.FailStatus"/>.</summary>
    Fail = 2,

    /// <summary>Throw the exception <see cref="RelayPlan.ThrowType"/> names (see <see cref="IChaosGrain.Throw"/>).</summary>
    Throw = 3,
}

/// <summary>A chain of chaos grains to call and what the last one does.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Chaos.RelayPlan")]
public sealed record RelayPlan(
    [property: Id(0)] IReadOnlyList<string> NextHops,
    [property: Id(1)] LastHopAction LastHop,
    [property: Id(2)] RpcStatus FailStatus = RpcStatus.Unknown,
    [property: Id(3)] bool FailNotExecuted = false,
    [property: Id(4)] TimeSpan PauseAtEachHop = default,
    [property: Id(5)] string? ThrowType = null);

/// <summary>What one hop saw of the call it handled.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Chaos.HopObservation")]
public sealed record HopObservation(
    [property: Id(0)] string Grain,
    [property: Id(1)] TimeSpan? Budget,
    [property: Id(2)] int? Attempt,
    [property: Id(3)] IReadOnlyList<string> RequestContextKeys,
    [property: Id(4)] string Silo = "");

/// <summary>What a chaos grain activation counted.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Chaos.ChaosCounters")]
public sealed record ChaosCounters(
    [property: Id(0)] int Executions,
    [property: Id(1)] int Cancellations,
    [property: Id(2)] int Completions,
    [property: Id(3)] int Hanging);
