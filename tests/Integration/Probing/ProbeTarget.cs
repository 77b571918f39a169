using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReliableRpc.Tests.Integration.Probing;

/// <summary>
/// A minimal HTTP endpoint for probes on 127.0.0.1, written on a socket so it can see a client go away:
/// /fast answers at once, /slow after 300 ms, /500 fails, /hang never answers and holds the request until the
/// client closes the connection. It counts requests in flight.
/// </summary>
internal sealed class ProbeTarget : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _inFlight;

    public ProbeTarget()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: true);
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync(_stop.Token) ?? "";
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(_stop.Token)))
            {
            }

            var path = requestLine.Split(' ').ElementAtOrDefault(1) ?? "/";
            string status;
            switch (path)
            {
                case "/slow":
                    await Task.Delay(300, _stop.Token);
                    status = "200 OK";
                    break;
                case "/500":
                    status = "500 Internal Server Error";
                    break;
                case "/hang":
                    // Nothing is sent; the read ends when the client closes the connection.
                    var buffer = new byte[64];
                    while (await stream.ReadAsync(buffer, _stop.Token) > 0)
                    {
                    }

                    return;
                default:
                    status = "200 OK";
                    break;
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), _stop.Token);
        }
        catch (Exception)
        {
            // The client went away, or the target stops.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop;
    }
}
