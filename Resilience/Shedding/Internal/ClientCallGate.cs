using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReliableRpc.Hosting;
using ReliableRpc.Telemetry.Internal;

namespace ReliableRpc.Shedding.Internal;

/// <summary>Admits the client calls a silo runs through its <see cref="AdaptiveConcurrencyLimiter"/> and refuses the rest.</summary>
internal sealed class ClientCallGate
{
    private readonly SheddingOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private long _shedSinceLog;
    private long _lastLog;

    public ClientCallGate(IOptions<ReliableRpcOptions> options, ILogger<ClientCallGate> logger, [FromKeyedServices(ReliableRpcServices.TimeProviderKey)] TimeProvider time)
    {
        _options = options.Value.Shedding;
        _logger = logger;
        _time = time;
        _lastLog = time.GetTimestamp();
        Limiter = new AdaptiveConcurrencyLimiter(_options, time);

        // Built with the filter whatever the settings; only a limit that sheds is shown.
        if (options.Value.Enabled && _options.Enabled)
        {
            ReliableRpcMeter.TrackConcurrencyLimit(Limiter);
        }
    }

    /// <summary>The limiter, for the silo's own views (the dashboard).</summary>
    public AdaptiveConcurrencyLimiter Limiter { get; }

    /// <summary>A lease for the call, to dispose when it ends; null (and nothing taken) when the silo is at its limit.</summary>
    public AdaptiveConcurrencyLimiter.CallLease? TryEnter(string service)
    {
        if (Limiter.AttemptAcquire() is AdaptiveConcurrencyLimiter.CallLease lease)
        {
            return lease;
        }

        ReliableRpcMeter.Shed.Add(1, ReliableRpcMeter.Service(service));
        Interlocked.Increment(ref _shedSinceLog);
        LogAtMostOnceASecond();
        return null;
    }

    /// <summary>The refusal a shed call gets.</summary>
    public RpcException Refusal(string target)
    {
        var limit = Limiter.Limit;
        return new(RpcStatus.ResourceExhausted,
            $"silo is at its limit of {limit} concurrent client calls{LimitKind()}; {target} was not run",
            notExecuted: true, retryAfter: _options.RetryAfter)
        {
            Metadata = new Dictionary<string, string> { [RpcException.SheddingKey] = limit.ToString(CultureInfo.InvariantCulture) },
        };
    }

    private string LimitKind() => _options.Adaptive
        ? $" (adaptive: median service time {Milliseconds(Limiter.MedianServiceTime)} against a minimum of {Milliseconds(Limiter.MinimumServiceTime)})"
        : "";

    private static string Milliseconds(TimeSpan? time) => time is { } t ? $"{t.TotalMilliseconds:0.#} ms" : "unmeasured";

    private void LogAtMostOnceASecond()
    {
        var last = Volatile.Read(ref _lastLog);
        var elapsed = _time.GetElapsedTime(last);
        if (elapsed >= TimeSpan.FromSeconds(1) && Interlocked.CompareExchange(ref _lastLog, _time.GetTimestamp(), last) == last)
        {
            SheddingLog.Shedding(_logger, Interlocked.Exchange(ref _shedSinceLog, 0), elapsed.TotalSeconds, Limiter.Limit);
        }
    }
}
