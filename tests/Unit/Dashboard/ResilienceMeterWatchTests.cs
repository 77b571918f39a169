using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using ReliableRpc.Silo.Dashboard;

namespace ReliableRpc.Tests.Unit.Dashboard;

/// <summary>The watch reads the pipeline's own instruments (the ones Prometheus exports), by name and tags.</summary>
public class ResilienceMeterWatchTests
{
    [Fact]
    public void Measurements_OfTheReliableRpcMeter_ReachTheWindow_PairingDurationWithDeadlineFraction()
    {
        // A meter of the same name stands in for the pipeline's: the listener selects instruments by meter name.
        using var meter = new Meter(ReliableRpcDiagnostics.Name + ".Test." + Guid.NewGuid().ToString("N"));
        using var pipeline = new Meter(ReliableRpcDiagnostics.Name);
        var service = "IWatch" + Guid.NewGuid().ToString("N");
        var window = new ResilienceWindow(TimeSpan.FromSeconds(10), new FakeTimeProvider());
        using var watch = new ResilienceMeterWatch(window);

        var duration = pipeline.CreateHistogram<double>(ReliableRpcDiagnostics.CallDuration);
        var fraction = pipeline.CreateHistogram<double>(ReliableRpcDiagnostics.CallDeadlineFraction);
        var shed = pipeline.CreateCounter<long>(ReliableRpcDiagnostics.Shed);
        var arrival = pipeline.CreateCounter<long>(ReliableRpcDiagnostics.DeadlineExceeded);
        var ignored = meter.CreateCounter<long>(ReliableRpcDiagnostics.Shed);
        KeyValuePair<string, object?> svc = new(ReliableRpcDiagnostics.ServiceTag, service);
        KeyValuePair<string, object?> ok = new(ReliableRpcDiagnostics.StatusTag, "OK");

        duration.Record(0.5, svc, ok);
        fraction.Record(0.25, svc, ok);
        shed.Add(10, svc);
        ignored.Add(100, svc);
        arrival.Add(5, svc, new KeyValuePair<string, object?>("side", "arrival"));
        arrival.Add(7, svc, new KeyValuePair<string, object?>("side", "caller"));

        var view = watch.Window.Services(new Dictionary<string, int>()).Single(s => s.Service == service);
        Assert.Equal(0.1, view.CallsPerSecond["OK"], 9);
        Assert.Equal(2.0, view.DeadlineSeconds!.Value, 9);
        Assert.Equal(0.25, view.P99OfDeadline);
        Assert.Equal(1.0, view.ShedPerSecond, 9);
        Assert.Equal(0.5, view.ArrivalDropsPerSecond, 9);
    }
}
