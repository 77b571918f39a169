using System.Net;
using System.Net.Sockets;

namespace ReliableRpc.Tests;

/// <summary>Loopback ports nobody listens on right now, so parallel runs do not collide. Shared by the test projects.</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
