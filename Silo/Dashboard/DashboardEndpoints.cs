using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Orleans.Dashboard;
using Orleans.Runtime;
using ReliableRpc.Silo.Health;
using ReliableRpc.Silo.Http;

namespace ReliableRpc.Silo.Dashboard;

/// <summary>
/// The operator's view in the silo's Kestrel app: the Orleans Dashboard under <see cref="DashboardPath"/> and the
/// resilience page under <see cref="ResiliencePath"/>, with its data under <see cref="ResilienceDataPath"/>.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>The Orleans Dashboard (its assets and API below it).</summary>
    public const string DashboardPath = "/dashboard";

    /// <summary>The resilience page.</summary>
    public const string ResiliencePath = "/resilience";

    /// <summary>The resilience page's data: a <see cref="ResilienceSnapshot"/> as JSON.</summary>
    public const string ResilienceDataPath = "/resilience/data";

    private const string PageResource = "ReliableRpc.Silo.Dashboard.resilience.html";

    // Added to the dashboard's own page, which has no extension point: the way from it to the resilience page.
    private const string LinkToResilience =
        "<a href=\"../resilience\" style=\"position:fixed;right:12px;bottom:10px;z-index:10000;padding:6px 10px;background:#1d4f91;" +
        "color:#fff !important;border-radius:4px;font:13px system-ui,sans-serif;text-decoration:none\">Resilience &rarr;</a>";

    /// <summary>The Orleans Dashboard's grain service, profiler and grains, when the pages are served.</summary>
    internal static void AddTo(ISiloBuilder silo, SiloDashboardOptions options, SiloHttpOptions http)
    {
        if (!options.IsServed(http))
        {
            return;
        }

        // The live log stream is a firehose of everything the silo logs: not for a page other machines can reach.
        var exposed = !System.Net.IPAddress.IsLoopback(options.EffectiveBindAddress(http));
        silo.AddDashboard(o => o.HideTrace = exposed);
    }

    /// <summary>The page's own listener, when it has a port, and the meter watch behind the resilience page.</summary>
    internal static void AddServices(WebApplicationBuilder builder, SiloDashboardOptions options, SiloHttpOptions http)
    {
        if (!options.IsServed(http))
        {
            return;
        }

        if (options.HasOwnPort(http))
        {
            var address = options.EffectiveBindAddress(http);
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, options.Port));
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(sp => new ResilienceWindow(options.Window, TimeProvider.System));
        builder.Services.AddSingleton<ResilienceMeterWatch>();
        builder.Services.AddSingleton(sp => new DashboardGate(options, http));
    }

    /// <summary>Maps the pages behind <see cref="DashboardGate"/>.</summary>
    internal static void Map(WebApplication app, SiloDashboardOptions options, SiloHttpOptions http)
    {
        if (!options.IsServed(http))
        {
            return;
        }

        // Listening from the start, not from the first page view: the window then holds the last seconds already.
        app.Services.GetRequiredService<ResilienceMeterWatch>();
        var gate = app.Services.GetRequiredService<DashboardGate>();
        app.Use((context, next) => gate.InvokeAsync(context, _ => next()));
        app.Use(AddResilienceLinkAsync);
        app.MapOrleansDashboard(DashboardPath);

        var page = ReadPage();
        app.MapGet(ResiliencePath, () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet(ResilienceDataPath, (ResilienceMeterWatch watch, IClusterMembershipService membership, ILocalSiloDetails local, SiloReadiness readiness) =>
            Results.Json(Snapshot(watch, membership, local, readiness)));
    }

    /// <summary>What the page shows now.</summary>
    internal static ResilienceSnapshot Snapshot(ResilienceMeterWatch watch, IClusterMembershipService membership, ILocalSiloDetails local, SiloReadiness readiness)
    {
        var (breakers, budget, limit) = watch.Observe();
        var window = watch.Window;
        var members = membership.CurrentSnapshot.Members.Values
            .OrderBy(m => m.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(m =>
            {
                var self = m.SiloAddress.Equals(local.SiloAddress);
                var leaving = m.Status is SiloStatus.ShuttingDown or SiloStatus.Stopping;
                return new MemberView(m.SiloAddress.ToString(), m.Name, m.Status.ToString(), self, leaving || (self && readiness.IsStopping));
            })
            .ToList();
        return new ResilienceSnapshot(
            local.SiloAddress.ToString(),
            DateTimeOffset.UtcNow,
            window.Window.TotalSeconds,
            readiness.IsStopping,
            window.InFlight(),
            budget,
            limit,
            window.DedupHitsPerSecond(),
            members,
            window.Services(breakers));
    }

    private static string ReadPage()
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream(PageResource)
            ?? throw new InvalidOperationException($"the resilience page ({PageResource}) is not embedded in the silo");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Adds a link to the resilience page to the dashboard's index page, which is served gzipped with an ETag otherwise.</summary>
    private static async Task AddResilienceLinkAsync(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path;
        if (!HttpMethods.IsGet(context.Request.Method)
            || !(path.Equals(DashboardPath + "/") || path.Equals(DashboardPath + "/index.html")))
        {
            await next();
            return;
        }

        context.Request.Headers.Remove(HeaderNames.AcceptEncoding);
        context.Request.Headers.Remove(HeaderNames.IfNoneMatch);
        var body = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = body;
        }

        var html = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var at = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        if (context.Response.StatusCode == StatusCodes.Status200OK && at >= 0)
        {
            html = html.Insert(at, LinkToResilience);
            context.Response.Headers.ETag = default;
        }

        var bytes = Encoding.UTF8.GetBytes(html);
        context.Response.ContentLength = bytes.Length;
        await body.WriteAsync(bytes, context.RequestAborted);
    }
}
