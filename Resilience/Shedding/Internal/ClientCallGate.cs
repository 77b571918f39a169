using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReliableRpc.Hosting;
using ReliableRpc.Telemetry.Internal;

namespace ReliableRpc.Shedding.Internal;

/// <summary>Counts the client calls a silo is running and refuses those over the cap.</summary>
internal sealed class ClientCallGate
{
    private readonly SheddingOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private int _running;
    private long _shedSinceLog;
    private long _lastLog;

    public ClientCallGate(IOptions<ReliableRpcOptions> options, ILogger<ClientCallGate> logger, [FromKeyedServices(ReliableRpcServices.TimeProviderKey)] TimeProvider time)
    {
        _options = options.Value.Shedding;
        _logger = logger;
        _time = time;
        _lastLog = time.GetTimestamp();
    }

    /// <summary>Client calls running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Takes a slot; false (and the slot not taken) when the silo is at its cap.</summary>
    public bool TryEnter(string service)
    {
        if (Interlocked.Increment(ref _running) <= _options.MaxConcurrentClientCalls)
        {
            return true;
        }

        Interlocked.Decrement(ref _running);
        ReliableRpcMeter.Shed.Add(1, ReliableRpcMeter.Service(service));
        Interlocked.Increment(ref _shedSinceLog);
        LogAtMostOnceASecond();
        return false;
    }

    /// <summary>Gives a slot back.</summary>
    public void Exit() => Interlocked.Decrement(ref _running);

    /// <summary>The refusal a shed call gets.</summary>
    public RpcException Refusal(string target) => new(RpcStatus.ResourceExhausted,
        $"silo is at its cap of {_options.MaxConcurrentClientCalls} concurrent client calls; {target} was not run",
        notExecuted: true, retryAfter: _options.RetryAfter);

    private void LogAtMostOnceASecond()
    {
        var last = Volatile.Read(ref _lastLog);
        var elapsed = _time.GetElapsedTime(last);
        if (elapsed >= TimeSpan.FromSeconds(1) && Interlocked.CompareExchange(ref _lastLog, _time.GetTimestamp(), last) == last)
        {
            SheddingLog.Shedding(_logger, Interlocked.Exchange(ref _shedSinceLog, 0), elapsed.TotalSeconds, _options.MaxConcurrentClientCalls);
        }
    }
}
