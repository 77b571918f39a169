using System.Net;
using System.Net.Sockets;

namespace ReliableRpc.Tests;

/// <summary>Loopback ports nobody listens on right now, so parallel runs do not collide. Shared by the test projects.</summary>
internal static class FreePorts
{
    // Below Linux's ephemeral range (ip_local_port_range, 32768-60999 here): a port from that range, free when
    // checked, can become the local end of any outgoing connection before the process it is for binds it. A CI run
    // lost a silo that way ("address already in use" on a port the kernel had handed out a moment before).
    private const int First = 20_000;
    private const int Count = 12_000;

    // Each test process starts at its own place, so that two running at once rarely try the same ports.
    private static int s_next = Random.Shared.Next(Count);

    public static int Next()
    {
        for (var tried = 0; tried < Count; tried++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref s_next) % Count);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free port between {First} and {First + Count - 1}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
