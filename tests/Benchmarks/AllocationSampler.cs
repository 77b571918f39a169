using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ReliableRpc.Benchmarks;

/// <summary>
/// A sampling allocation profiler by hand (no dotnet-trace on these machines): the runtime's GC AllocationTick event
/// fires about once per 100 KB allocated and names the type that crossed the mark, so counts per type approximate
/// where the bytes go. Written here because no library exposes it in-process.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    /// <summary>Starts or stops counting (the listener stays attached).</summary>
    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    /// <summary>Approximate bytes allocated per type while recording, largest first.</summary>
    public IEnumerable<KeyValuePair<string, long>> Top(int count) => _bytesByType.OrderByDescending(t => t.Value).Take(count);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs data)
    {
        if (!_recording || data.EventName is null || !data.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || data.Payload is null)
        {
            return;
        }

        var type = data.PayloadNames?.IndexOf("TypeName") is { } t and >= 0 ? data.Payload[t] as string ?? "?" : "?";
        var amount = data.PayloadNames?.IndexOf("AllocationAmount64") is { } a and >= 0 ? Convert.ToInt64(data.Payload[a]) : 100_000;
        _bytesByType.AddOrUpdate(type, amount, (_, n) => n + amount);
    }
}
