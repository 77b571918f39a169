using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReliableRpc.Grains.Chaos;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Telemetry;

/// <summary>
/// Spans and metrics of a scripted fault sequence (fails twice, then succeeds), in-process: client and both
/// silos share this process, so one listener sees every span.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TelemetryTests(ClusterFixture fixture) : IDisposable
{
    private const string Service = nameof(IScriptedEchoGrain);
    private readonly ConcurrentBag<Activity> _spans = new();
    private readonly ConcurrentDictionary<string, long> _counts = new();
    private readonly ActivityListener _spanListener = new();
    private readonly MeterListener _meterListener = new();

    private void Listen()
    {
        _spanListener.ShouldListenTo = source => source.Name is ReliableRpcDiagnostics.Name or "Microsoft.Orleans.Runtime" or "Microsoft.Orleans.Application";
        _spanListener.Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded;
        _spanListener.ActivityStopped = _spans.Add;
        ActivitySource.AddActivityListener(_spanListener);

        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ReliableRpcDiagnostics.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Count(instrument, value, tags));
        _meterListener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Count(instrument, 1, tags));
        _meterListener.Start();
    }

    private void Count(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? service = null, status = null, reason = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case ReliableRpcDiagnostics.ServiceTag: service = tag.Value as string; break;
                case ReliableRpcDiagnostics.StatusTag: status = tag.Value as string; break;
                case "reason": reason = tag.Value as string; break;
            }
        }

        if (service == Service)
        {
            _counts.AddOrUpdate($"{instrument.Name}{(status is null ? "" : $"|{status}")}{(reason is null ? "" : $"|{reason}")}", value, (_, n) => n + value);
        }
    }

    public void Dispose()
    {
        _spanListener.Dispose();
        _meterListener.Dispose();
    }

    [Fact]
    public async Task CallFailingTwiceThenSucceeding_HasOneLogicalSpanWithThreeAttemptsAndServerSpans_AndExactMetrics()
    {
        Listen();
        var key = $"traced-{Guid.NewGuid():N}";
        await fixture.Grains.GetGrain<IFlakyEchoGrain>(key).FailFirst(2);

        Assert.Equal("hi", await fixture.Grains.GetGrain<IScriptedEchoGrain>(key).Echo("hi").WaitAsync(TimeSpan.FromSeconds(30)));
        _meterListener.RecordObservableInstruments();

        var logical = Assert.Single(_spans, s => s.Source.Name == ReliableRpcDiagnostics.Name && s.DisplayName == $"{Service}/Echo");
        Assert.Equal(ActivityKind.Client, logical.Kind);
        Assert.Equal("orleans", logical.GetTagItem(ReliableRpcDiagnostics.SystemTag));
        Assert.Equal("OK", logical.GetTagItem(ReliableRpcDiagnostics.StatusTag));
        Assert.Equal(3, logical.GetTagItem("reliablerpc.attempts"));
        Assert.Equal(2, logical.Events.Count(e => e.Name == "retry"));

        var attempts = _spans.Where(s => s.ParentSpanId == logical.SpanId && s.Source.Name == ReliableRpcDiagnostics.Name).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal([1, 2, 3], attempts.Select(a => (int)a.GetTagItem("reliablerpc.attempt")!));
        Assert.Equal(["Unavailable", "Unavailable", "OK"], attempts.Select(a => (string)a.GetTagItem(ReliableRpcDiagnostics.StatusTag)!));
        Assert.Equal("Counted", attempts[0].GetTagItem("reliablerpc.retry"));
        Assert.True((long)attempts[1].GetTagItem("reliablerpc.backoff_ms")! >= 0);

        // Orleans' own spans carry the trace into the silo: a server span per attempt, in the same trace.
        var inTrace = _spans.Where(s => s.TraceId == logical.TraceId && s.Kind == ActivityKind.Server).ToList();
        Assert.True(inTrace.Count >= 3, $"{inTrace.Count} server spans in the trace");

        Assert.Equal(1, _counts.GetValueOrDefault(ReliableRpcDiagnostics.Calls));
        Assert.Equal(3, _counts.GetValueOrDefault(ReliableRpcDiagnostics.Attempts));
        Assert.Equal(2, _counts.GetValueOrDefault($"{ReliableRpcDiagnostics.Retries}|counted"));
        Assert.Equal(1, _counts.GetValueOrDefault($"{ReliableRpcDiagnostics.CallDuration}|OK"));
        Assert.Equal(1, _counts.GetValueOrDefault($"{ReliableRpcDiagnostics.CallDeadlineFraction}|OK"));
    }
}
