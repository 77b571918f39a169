using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using ReliableRpc.Tls;

namespace ReliableRpc.Client.Connection;

/// <summary>
/// Tells a gateway that refuses this client (its certificate, or its lack of TLS) from one that is not there yet,
/// and stops the client's start at once when it is refused. Orleans' TLS middleware drops a refused connection
/// without saying why, and its start loop calls the connection retry filter only every few seconds with "unable to
/// connect"; a connection middleware sees each connection open and close, so this one watches them.
/// </summary>
internal sealed class RefusalDetector(TlsHandshakeObserver? observer)
{
    // Two connections closed at once in a row before giving up: one can be a gateway that was stopping.
    private const int StrikesToGiveUp = 2;
    private static readonly TimeSpan ClosedAtOnce = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _refused = new();
    private int _strikes;
    private volatile bool _started;
    private volatile string? _verdict;

    /// <summary>Cancelled when the gateways refuse this client.</summary>
    public CancellationToken Refused => _refused.Token;

    /// <summary>Why the gateways refuse this client; null while there is no such evidence.</summary>
    public string? Verdict => _verdict;

    /// <summary>The client has started: later connection losses are ordinary, not a refusal.</summary>
    public void Started() => _started = true;

    /// <summary>Connection middleware, outermost (before TLS): times each connection.</summary>
    public async Task Watch(ConnectionContext context, ConnectionDelegate next)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await next(context);
        }
        finally
        {
            if (!_started)
            {
                Judge(clock.Elapsed);
            }
        }
    }

    private void Judge(TimeSpan lived)
    {
        if (observer?.LastRefusal is { } reason)
        {
            Give($"this client refused the gateway's certificate: {reason}. Is --tls-ca the CA of the cluster?");
            return;
        }

        if (lived > ClosedAtOnce)
        {
            Interlocked.Exchange(ref _strikes, 0);
            return;
        }

        if (Interlocked.Increment(ref _strikes) >= StrikesToGiveUp)
        {
            Give(observer is null
                ? "the gateway closed every connection as soon as it opened: the cluster requires mutual TLS; give --tls-cert, --tls-key and --tls-ca (or start the cluster with --plain-tcp)"
                : "the gateway closed every connection during or right after the TLS handshake: it refused this client's certificate (issued by another CA, expired, or without the client identity), or it does not use TLS; the silo's log names the reason");
        }
    }

    private void Give(string verdict)
    {
        _verdict ??= verdict;
        _refused.Cancel();
    }
}
