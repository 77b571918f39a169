using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ReliableRpc.Silo.Dashboard;

/// <summary>
/// Listens, in the silo's process, to the pipeline's meter (<see cref="ReliableRpcDiagnostics.Name"/>) — the
/// instruments the Prometheus endpoint exports — and feeds <see cref="ResilienceWindow"/>. One source of truth: the
/// page shows what an alert rule would see, not a second bookkeeping.
/// </summary>
internal sealed class ResilienceMeterWatch : IDisposable
{
    // reliablerpc.call.duration and reliablerpc.call.deadline_fraction are recorded one after the other on the same
    // thread for each logical call (CallPipeline.Record); pairing them gives each call's deadline.
    [ThreadStatic]
    private static double? t_lastDuration;

    private readonly MeterListener _listener = new();
    private readonly ResilienceWindow _window;
    private readonly ConcurrentDictionary<string, int> _breakers = new(StringComparer.Ordinal);
    private readonly Lock _observeGate = new();
    private double? _budgetTokens;
    private int? _concurrencyLimit;

    public ResilienceMeterWatch(ResilienceWindow window)
    {
        _window = window;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ReliableRpcDiagnostics.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnLong(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => OnDouble(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (instrument.Name == ReliableRpcDiagnostics.BreakerState && Tag(tags, ReliableRpcDiagnostics.ServiceTag) is { } service)
            {
                _breakers[service] = value;
            }
            else if (instrument.Name == ReliableRpcDiagnostics.ConcurrencyLimit)
            {
                // One limiter per silo; should a process hold several, the page shows the lowest.
                _concurrencyLimit = _concurrencyLimit is { } seen ? Math.Min(seen, value) : value;
            }
        });
        _listener.Start();
    }

    /// <summary>The window the watch feeds.</summary>
    public ResilienceWindow Window => _window;

    /// <summary>Reads the observable gauges now: each circuit's state, the retry budget's tokens, the shedding limit.</summary>
    public (IReadOnlyDictionary<string, int> Breakers, double? BudgetTokens, int? ConcurrencyLimit) Observe()
    {
        lock (_observeGate)
        {
            _budgetTokens = null;
            _concurrencyLimit = null;
            _listener.RecordObservableInstruments();
            return (new Dictionary<string, int>(_breakers, StringComparer.Ordinal), _budgetTokens, _concurrencyLimit);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnLong(string instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instrument == ReliableRpcDiagnostics.DedupHits)
        {
            _window.DedupHit(value);
            return;
        }

        if (Tag(tags, ReliableRpcDiagnostics.ServiceTag) is not { } service)
        {
            return;
        }

        switch (instrument)
        {
            case ReliableRpcDiagnostics.Calls: _window.Count(service, ResilienceCounter.Calls, value); break;
            case ReliableRpcDiagnostics.Attempts: _window.Count(service, ResilienceCounter.Attempts, value); break;
            case ReliableRpcDiagnostics.Retries: _window.Count(service, ResilienceCounter.Retries, value); break;
            case ReliableRpcDiagnostics.BudgetExhausted: _window.Count(service, ResilienceCounter.BudgetRefusals, value); break;
            case ReliableRpcDiagnostics.BreakerRejections: _window.Count(service, ResilienceCounter.BreakerRejections, value); break;
            case ReliableRpcDiagnostics.Shed: _window.Count(service, ResilienceCounter.Shed, value); break;
            case ReliableRpcDiagnostics.ServerActiveCalls: _window.Active(service, value); break;
            case ReliableRpcDiagnostics.DeadlineExceeded when Tag(tags, "side") == "arrival":
                _window.Count(service, ResilienceCounter.ArrivalDrops, value);
                break;
            case ReliableRpcDiagnostics.BreakerTransitions when Tag(tags, "state") is { } state:
                _window.BreakerTransition(service, state);
                break;
        }
    }

    private void OnDouble(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instrument == ReliableRpcDiagnostics.RetryBudgetTokens)
        {
            // One budget per process; should a process hold several hosts, the page shows the emptiest.
            _budgetTokens = _budgetTokens is { } seen ? Math.Min(seen, value) : value;
            return;
        }

        if (Tag(tags, ReliableRpcDiagnostics.ServiceTag) is not { } service)
        {
            return;
        }

        var status = Tag(tags, ReliableRpcDiagnostics.StatusTag) ?? "";
        switch (instrument)
        {
            case ReliableRpcDiagnostics.CallDuration:
                t_lastDuration = value;
                break;
            case ReliableRpcDiagnostics.CallDeadlineFraction when t_lastDuration is { } duration:
                t_lastDuration = null;
                _window.EdgeCall(service, status, duration, value);
                break;
            case ReliableRpcDiagnostics.ServerCallDuration:
                _window.Served(service, status, value);
                break;
        }
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
