using Orleans;

namespace ReliableRpc.Grains.Chaos;

/// <summary>Fails on request, and counts what it ran.</summary>
public sealed class BreakerProbeGrain : Grain, IBreakerProbeGrain, IExecutionCounter
{
    private int _executions;

    /// <inheritdoc />
    public Task<int> Work(bool fail, CancellationToken cancellationToken)
    {
        _executions++;
        return fail ? throw new RpcException(RpcStatus.Internal, "injected overload") : Task.FromResult(_executions);
    }

    /// <inheritdoc />
    public Task<int> GetExecutions(CancellationToken cancellationToken) => Task.FromResult(_executions);
}
