using Orleans;
using Orleans.Placement;
using Orleans.Runtime;

namespace ReliableRpc.Grains.Chaos;

/// <summary>
/// Placed on the caller's silo, so its callers' requests are not serialized: what it receives shows whether a
/// retry resent the caller's arguments.
/// </summary>
[PreferLocalPlacement]
public sealed class FlakyEchoGrain : Grain, IFlakyEchoGrain, IScriptedEchoGrain
{
    private readonly List<string?> _received = new();
    private int _failuresLeft;
    private TimeSpan _stallNext;
    private int _stallsEnded;

    /// <inheritdoc />
    public Task FailFirst(int failures, CancellationToken cancellationToken)
    {
        _failuresLeft = failures;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StallNext(TimeSpan stall, CancellationToken cancellationToken)
    {
        _stallNext = stall;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string> Echo(string payload, CancellationToken cancellationToken) => EchoAsync(payload);

    /// <inheritdoc />
    public Task<string> EchoWithoutToken(string payload) => EchoAsync(payload);

    private async Task<string> EchoAsync(string payload)
    {
        _received.Add(payload);
        if (_stallNext > TimeSpan.Zero)
        {
            var stall = _stallNext;
            _stallNext = TimeSpan.Zero;

            // Deaf to the token, as a storage write that has started is.
            await Task.Delay(stall);
            _stallsEnded++;
        }

        if (_failuresLeft > 0)
        {
            _failuresLeft--;
            throw new RpcException(RpcStatus.Unavailable, $"injected by {this.GetPrimaryKeyString()}");
        }

        return payload;
    }

    /// <inheritdoc />
    public Task<int> GetStallsEnded(CancellationToken cancellationToken) => Task.FromResult(_stallsEnded);

    /// <inheritdoc />
    public Task<IReadOnlyList<string?>> GetReceived(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string?>>(_received.ToList());
}
