using System.Net;

namespace ReliableRpc.Tls;

/// <summary>
/// What the client's TLS handshakes did, so a failed connection can be told apart: our check refused the gateway's
/// certificate, the handshake failed (the gateway refused ours, or speaks no TLS), or it succeeded. Orleans' TLS
/// middleware logs these and drops the connection; the client only sees a closed connection.
/// </summary>
public sealed class TlsHandshakeObserver
{
    private long _attempts;
    private long _established;
    private string? _lastRefusal;

    /// <summary>Handshakes begun.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Handshakes completed.</summary>
    public long Established => Interlocked.Read(ref _established);

    /// <summary>Why our check last refused a gateway's certificate; null when it never did.</summary>
    public string? LastRefusal => Volatile.Read(ref _lastRefusal);

    /// <summary>The endpoint of the last handshake begun.</summary>
    public EndPoint? LastEndPoint { get; private set; }

    internal void Begun(EndPoint? endPoint)
    {
        LastEndPoint = endPoint;
        Interlocked.Increment(ref _attempts);
    }

    internal void Completed() => Interlocked.Increment(ref _established);

    internal void Refused(string reason) => Volatile.Write(ref _lastRefusal, reason);
}
