namespace ReliableRpc;

/// <summary>Restores the incoming call <see cref="RpcCall.Detach"/> cleared, when disposed.</summary>
public readonly struct RpcCallDetachment : IDisposable
{
    private readonly IncomingRpcCall? _incoming;

    internal RpcCallDetachment(IncomingRpcCall? incoming) => _incoming = incoming;

    /// <summary>Ends the scope.</summary>
    public void Dispose() => RpcCall.SetIncoming(_incoming);
}
