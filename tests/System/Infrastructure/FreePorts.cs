using System.Net;
using System.Net.Sockets;

namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>Ports nobody listens on right now, so parallel runs do not collide.</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
