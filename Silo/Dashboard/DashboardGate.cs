using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using ReliableRpc.Silo.Http;

namespace ReliableRpc.Silo.Dashboard;

/// <summary>
/// Guards the admin pages (the dashboard and the resilience page): they answer only on their own port when they have
/// one, and ask for the configured HTTP Basic credential when there is one.
/// </summary>
internal sealed class DashboardGate(SiloDashboardOptions options, SiloHttpOptions http)
{
    private readonly byte[]? _expected = options.HasCredential ? Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}") : null;
    private readonly int? _ownPort = options.HasOwnPort(http) ? options.Port : null;

    /// <summary>Whether a request's path is one of the admin pages'.</summary>
    public static bool IsGuarded(PathString path) =>
        path.StartsWithSegments(DashboardEndpoints.DashboardPath) || path.StartsWithSegments(DashboardEndpoints.ResiliencePath);

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!IsGuarded(context.Request.Path))
        {
            return next(context);
        }

        // The local port, not the Host header: a caller chooses its Host header, not the socket it reached.
        if (_ownPort is { } port && context.Connection.LocalPort != port)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        if (_expected is not null && !Authorized(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers[HeaderNames.WWWAuthenticate] = "Basic realm=\"ReliableRpc silo\", charset=\"UTF-8\"";
            return Task.CompletedTask;
        }

        return next(context);
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromBase64String(header["Basic ".Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        // Constant time, so the comparison does not tell how much of a guess was right.
        return CryptographicOperations.FixedTimeEquals(given, _expected);
    }
}
