using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReliableRpc.Hosting;
using ReliableRpc.Telemetry.Internal;

namespace ReliableRpc.Retries.Internal;

/// <summary>
/// The token bucket behind <see cref="RetryBudgetOptions"/>: each logical call earns
/// <see cref="RetryBudgetOptions.Ratio"/> of a retry, each retry spends one, and a floor of
/// <see cref="RetryBudgetOptions.MinRetriesPerSecond"/> refills with time. Written by hand: Polly has no retry budget.
/// </summary>
internal sealed class RetryBudget
{
    // Thousandths of a retry: whole numbers, so ten calls at 0.2 earn exactly two retries.
    private const long OneRetry = 1_000;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly long _earnedPerCall;
    private readonly long _maxSaved;
    private readonly long _floorPerSecond;
    private long _earned;
    private long _floor;
    private long _floorUpdated;

    public RetryBudget(IOptions<ReliableRpcOptions> options, [FromKeyedServices(ReliableRpcServices.TimeProviderKey)] TimeProvider time)
        : this(options.Value.Retries.Budget, time)
    {
    }

    internal RetryBudget(RetryBudgetOptions options, TimeProvider time)
    {
        _time = time;
        _earnedPerCall = (long)Math.Round(options.Ratio * OneRetry);
        _maxSaved = (long)Math.Round(options.MaxSaved * OneRetry);
        _floorPerSecond = (long)Math.Round(options.MinRetriesPerSecond * OneRetry);
        _floorUpdated = time.GetTimestamp();
        _floor = _floorPerSecond;
        ReliableRpcMeter.TrackRetryBudget(this);
    }

    /// <summary>Retries the budget would allow now: those saved up plus the floor's, refilled to this moment. Changes nothing.</summary>
    public double Tokens
    {
        get
        {
            lock (_gate)
            {
                var refill = (long)((double)(_time.GetTimestamp() - _floorUpdated) / _time.TimestampFrequency * _floorPerSecond);
                return (_earned + Math.Min(_floorPerSecond, _floor + Math.Max(0, refill))) / (double)OneRetry;
            }
        }
    }

    /// <summary>Records a logical call: it earns a fraction of a retry.</summary>
    public void OnLogicalCall()
    {
        lock (_gate)
        {
            _earned = Math.Min(_maxSaved, _earned + _earnedPerCall);
        }
    }

    /// <summary>Takes one retry from the budget; false when none is left.</summary>
    public bool TryAcquire()
    {
        lock (_gate)
        {
            if (_earned >= OneRetry)
            {
                _earned -= OneRetry;
                return true;
            }

            var now = _time.GetTimestamp();
            var refill = (long)((double)(now - _floorUpdated) / _time.TimestampFrequency * _floorPerSecond);
            if (refill > 0)
            {
                _floorUpdated = now;
                _floor = Math.Min(_floorPerSecond, _floor + refill);
            }

            if (_floor >= OneRetry)
            {
                _floor -= OneRetry;
                return true;
            }

            return false;
        }
    }
}
