namespace ReliableRpc;

/// <summary>Restores the previous <see cref="RpcCall.Current"/> options when disposed.</summary>
public readonly struct RpcCallScope : IDisposable
{
    private readonly RpcCallOptions? _previous;

    internal RpcCallScope(RpcCallOptions? previous) => _previous = previous;

    /// <summary>Ends the scope.</summary>
    public void Dispose() => RpcCall.SetCurrent(_previous);
}
