using System.Reflection;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;

namespace ReliableRpc.Grains.Chaos;

/// <summary>A grain that misbehaves on request. Its counters live in memory, per activation.</summary>
[RandomPlacement]
public sealed class ChaosGrain : Grain, IChaosGrain
{
    private int _executions;
    private int _cancellations;
    private int _completions;
    private int _hanging;

    /// <inheritdoc />
    public async Task<IReadOnlyList<HopObservation>> Relay(RelayPlan plan, CancellationToken cancellationToken)
    {
        _executions++;
        var incoming = RpcCall.Incoming;
        var here = new HopObservation(
            this.GetPrimaryKeyString(), incoming?.Budget, incoming?.Attempt, RequestContext.Keys.Order().ToList(), RuntimeIdentity);
        if (plan.PauseAtEachHop > TimeSpan.Zero)
        {
            await Task.Delay(plan.PauseAtEachHop, cancellationToken);
        }

        if (plan.NextHops.Count > 0)
        {
            var next = GrainFactory.GetGrain<IChaosGrain>(plan.NextHops[0]);
            var rest = await next.Relay(plan with { NextHops = plan.NextHops.Skip(1).ToList() }, cancellationToken);
            _completions++;
            return [here, .. rest];
        }

        switch (plan.LastHop)
        {
            case LastHopAction.Hang:
                await Hang(Timeout.InfiniteTimeSpan, cancellationToken);
                break;
            case LastHopAction.Fail:
                throw new RpcException(plan.FailStatus, $"injected by {this.GetPrimaryKeyString()}", plan.FailNotExecuted);
            case LastHopAction.Throw:
                throw Exception(plan.ThrowType ?? "");
        }

        _completions++;
        return [here];
    }

    /// <inheritdoc />
    public Task<int> Count(CancellationToken cancellationToken) => Task.FromResult(++_executions);

    /// <inheritdoc />
    public async Task Hang(TimeSpan limit, CancellationToken cancellationToken)
    {
        _hanging++;
        try
        {
            await Task.Delay(limit, cancellationToken);
            _completions++;
        }
        catch (OperationCanceledException)
        {
            _cancellations++;
            throw;
        }
        finally
        {
            _hanging--;
        }
    }

    /// <inheritdoc />
    public async Task SleepWithoutToken(TimeSpan duration)
    {
        _executions++;
        await Task.Delay(duration);
        _completions++;
    }

    /// <inheritdoc />
    public Task Fail(RpcStatus status, bool notExecuted, CancellationToken cancellationToken)
    {
        _executions++;
        throw new RpcException(status, $"injected by {this.GetPrimaryKeyString()}", notExecuted);
    }

    /// <inheritdoc />
    public Task Throw(string exceptionType, CancellationToken cancellationToken)
    {
        _executions++;
        throw Exception(exceptionType);
    }

    private static Exception Exception(string exceptionType) =>
        exceptionType switch
        {
            nameof(ArgumentException) => new ArgumentException("bad argument"),
            nameof(ArgumentOutOfRangeException) => new ArgumentOutOfRangeException("amount", "out of range"),
            nameof(KeyNotFoundException) => new KeyNotFoundException("no such thing"),
            nameof(NotImplementedException) => new NotImplementedException("not yet"),
            nameof(UnauthorizedAccessException) => new UnauthorizedAccessException("not yours"),
            nameof(InvalidOperationException) => new InvalidOperationException("application bug"),
            nameof(TimeoutException) => new TimeoutException("the grain's own timeout (its database, say)"),

            // What the runtime throws in a method that calls an observer whose client has left (its constructors are internal).
            nameof(ClientNotAvailableException) => (Exception)Activator.CreateInstance(
                typeof(ClientNotAvailableException), BindingFlags.NonPublic | BindingFlags.Instance, null, ["the observer's client left"], null)!,

            // A message Orleans uses for a request it never sent: thrown by a method that ran, it proves nothing.
            nameof(SiloUnavailableException) => new SiloUnavailableException("Silo 'S127.0.0.1:11111:1' is shutting down."),
            nameof(AggregateException) => new AggregateException(new SiloUnavailableException("Silo 'S127.0.0.1:11111:1' is shutting down.")),
            _ => new ArgumentException($"unknown exception type {exceptionType}", nameof(exceptionType)),
        };

    /// <inheritdoc />
    public Task ThrowRpc(RpcStatus status, string detail, bool notExecuted, TimeSpan? retryAfter, CancellationToken cancellationToken) =>
        throw new RpcException(status, detail, notExecuted, retryAfter);

    /// <inheritdoc />
    public Task<int> Swallow(byte[] data, CancellationToken cancellationToken)
    {
        _executions++;
        return Task.FromResult(data.Length);
    }

    /// <inheritdoc />
    public Task<byte[]> Produce(int bytes, CancellationToken cancellationToken)
    {
        _executions++;
        return Task.FromResult(new byte[bytes]);
    }

    /// <inheritdoc />
    public Task<ChaosCounters> GetCounters(CancellationToken cancellationToken) => Task.FromResult(new ChaosCounters(_executions, _cancellations, _completions, _hanging));
}
