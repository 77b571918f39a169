using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ReliableRpc.Tests.System.Tls;

/// <summary>Raw sockets at a gateway port: what an intruder, a scanner or a broken client sends.</summary>
internal static class TlsProbe
{
    /// <summary>Sends <paramref name="bytes"/> (or nothing) and waits until the silo closes the connection; returns how long that took.</summary>
    public static async Task<TimeSpan> TimeUntilClosedAsync(int port, byte[]? bytes, TimeSpan limit)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var clock = Stopwatch.StartNew();
        var stream = client.GetStream();
        if (bytes is not null)
        {
            await stream.WriteAsync(bytes);
        }

        using var timeout = new CancellationTokenSource(limit);
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
                // A TLS server may answer a ClientHello-shaped input with an alert before closing; keep reading.
            }
        }
        catch (IOException)
        {
            // Reset by the silo: closed too.
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the silo kept the connection open for {limit}");
        }

        return clock.Elapsed;
    }

    /// <summary>
    /// A TLS handshake with <paramref name="clientCertificate"/> (null: none), trusting any server; then one read.
    /// Returns how long until the silo closed or failed the connection.
    /// </summary>
    public static async Task<TimeSpan> TimeUntilRefusedAsync(int port, X509Certificate2? clientCertificate, TimeSpan limit)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var clock = Stopwatch.StartNew();
        await using var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            }, timeout.Token);

            // TLS 1.3: the server judges the client's certificate after the client's side of the handshake is done.
            var buffer = new byte[1024];
            while (await ssl.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the silo kept the TLS connection open for {limit}");
        }
        catch (Exception error) when (error is IOException or global::System.Security.Authentication.AuthenticationException)
        {
            // Refused: an alert or a closed socket.
        }

        return clock.Elapsed;
    }
}
