using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ReliableRpc.Client.Output;

/// <summary>
/// Reads this process's own pipeline metrics (the <see cref="ReliableRpcDiagnostics.Name"/> meter) in process, so the
/// client's views show the very figures the Prometheus endpoint exports rather than a second bookkeeping.
/// </summary>
internal sealed class PipelineMeterWatch : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _breakers = new(StringComparer.Ordinal);

    public PipelineMeterWatch()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ReliableRpcDiagnostics.Name
                && (instrument is Counter<long> || instrument.Name == ReliableRpcDiagnostics.BreakerState))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var reason = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    reason = $" ({tag.Value})";
                }
            }

            _counts.AddOrUpdate(instrument.Name + reason, value, (_, n) => n + value);
        });
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == ReliableRpcDiagnostics.ServiceTag && tag.Value is string service)
                {
                    _breakers[service] = value;
                }
            }
        });
        _listener.Start();
    }

    /// <summary>The sum of counter <paramref name="name"/>, optionally of one <c>reason</c> tag value only.</summary>
    public long Count(string name, string? reason = null) =>
        _counts.GetValueOrDefault(reason is null ? name : $"{name} ({reason})");

    /// <summary>
    /// The circuit state of every grain interface called so far (0 closed, 1 half open, 2 open), read now from the
    /// observable gauge.
    /// </summary>
    public IReadOnlyDictionary<string, int> BreakerStates()
    {
        _listener.RecordObservableInstruments();
        return _breakers;
    }

    public void Dispose() => _listener.Dispose();
}
