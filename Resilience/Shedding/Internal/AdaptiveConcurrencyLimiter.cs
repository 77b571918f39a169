using System.Threading.RateLimiting;

namespace ReliableRpc.Shedding.Internal;

/// <summary>
/// A concurrency limiter whose limit a <see cref="GradientLimit"/> moves with measured service time (or stays at
/// <see cref="SheddingOptions.MaxConcurrentClientCalls"/> when not <see cref="SheddingOptions.Adaptive"/>). Built on
/// <see cref="RateLimiter"/> so that it reads like the framework's limiters; unlike <see cref="ConcurrencyLimiter"/> it
/// never queues: a call waiting at the door is the latency the limit is there to keep out, so a caller over the limit
/// gets a failed lease with <see cref="MetadataName.RetryAfter"/> at once.
/// </summary>
internal sealed class AdaptiveConcurrencyLimiter : RateLimiter
{
    private readonly Lock _lock = new();
    private readonly GradientLimit? _gradient;
    private readonly TimeProvider _time;
    private readonly RateLimitLease _refused;
    private int _limit;
    private int _running;
    private long _granted;
    private long _refusedCount;
    private long _idleSince;

    public AdaptiveConcurrencyLimiter(SheddingOptions options, TimeProvider time)
    {
        _time = time;
        _limit = options.MaxConcurrentClientCalls;
        _gradient = options.Adaptive ? new GradientLimit(options, time.TimestampFrequency, time.GetTimestamp()) : null;
        _refused = new RefusedLease(options.RetryAfter);
        _idleSince = time.GetTimestamp();
    }

    /// <summary>The limit now.</summary>
    public int Limit => Volatile.Read(ref _limit);

    /// <summary>Calls holding a lease now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>The lowest recent median service time, or null (not adaptive, or no window yet).</summary>
    public TimeSpan? MinimumServiceTime
    {
        get
        {
            lock (_lock)
            {
                return _gradient?.MinimumSeconds is { } s ? TimeSpan.FromSeconds(s) : null;
            }
        }
    }

    /// <summary>The last window's median service time, or null.</summary>
    public TimeSpan? MedianServiceTime
    {
        get
        {
            lock (_lock)
            {
                return _gradient?.LastMedianSeconds is { } s ? TimeSpan.FromSeconds(s) : null;
            }
        }
    }

    /// <inheritdoc />
    public override TimeSpan? IdleDuration =>
        Running == 0 ? _time.GetElapsedTime(Volatile.Read(ref _idleSince)) : null;

    /// <inheritdoc />
    public override RateLimiterStatistics GetStatistics() => new()
    {
        CurrentAvailablePermits = Math.Max(0, Limit - Running),
        CurrentQueuedCount = 0,
        TotalSuccessfulLeases = Interlocked.Read(ref _granted),
        TotalFailedLeases = Interlocked.Read(ref _refusedCount),
    };

    /// <summary>A lease for one call (the only count a call takes), or the refused lease.</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(permitCount, 1);

        // Taken only below the limit: an increment undone on refusal would, under a flood, refuse calls below it.
        var running = Volatile.Read(ref _running);
        while (running < Volatile.Read(ref _limit))
        {
            var seen = Interlocked.CompareExchange(ref _running, running + 1, running);
            if (seen == running)
            {
                Interlocked.Increment(ref _granted);
                return new CallLease(this, _time.GetTimestamp());
            }

            running = seen;
        }

        Interlocked.Increment(ref _refusedCount);
        if (_gradient is not null)
        {
            lock (_lock)
            {
                if (_gradient.Refused(_time.GetTimestamp()))
                {
                    Volatile.Write(ref _limit, _gradient.Limit);
                }
            }
        }

        return _refused;
    }

    /// <summary>As <see cref="AttemptAcquireCore"/>: never waits.</summary>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Release()
    {
        if (Interlocked.Decrement(ref _running) == 0)
        {
            Volatile.Write(ref _idleSince, _time.GetTimestamp());
        }
    }

    private void Sample(double seconds, long started)
    {
        if (_gradient is null)
        {
            return;
        }

        lock (_lock)
        {
            if (_gradient.Add(seconds, started, _time.GetTimestamp(), Running))
            {
                Volatile.Write(ref _limit, _gradient.Limit);
            }
        }
    }

    /// <summary>
    /// One admitted call. <see cref="Served"/> gives its service time to the limit (only calls that ran to success:
    /// a fast failure says nothing about queueing); <see cref="RateLimitLease.Dispose()"/> gives the slot back.
    /// </summary>
    internal sealed class CallLease(AdaptiveConcurrencyLimiter limiter, long started) : RateLimitLease
    {
        private int _released;

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        /// <summary>
        /// The call succeeded; <paramref name="excludedTicks"/> is the time (timestamp ticks) it spent waiting on grain
        /// storage, which is not the silo's service time.
        /// </summary>
        public void Served(long excludedTicks)
        {
            var ticks = Math.Max(0, limiter._time.GetTimestamp() - started - excludedTicks);
            limiter.Sample((double)ticks / limiter._time.TimestampFrequency, started);
        }

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter.Release();
            }
        }
    }

    /// <summary>The one refused lease, shared: it holds nothing.</summary>
    private sealed class RefusedLease(TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
