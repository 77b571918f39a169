namespace ReliableRpc.Silo.Dashboard;

/// <summary>What <c>/resilience/data</c> returns: this silo's view of the pipeline, over the last <see cref="WindowSeconds"/>.</summary>
/// <param name="Silo">This silo's address.</param>
/// <param name="At">When the snapshot was taken.</param>
/// <param name="WindowSeconds">The sliding window the rates and percentiles are taken over.</param>
/// <param name="Draining">True once this silo has begun to stop (its readiness turned "not ready").</param>
/// <param name="InFlight">Calls this silo's grains are running now.</param>
/// <param name="RetryBudgetTokens">Retries this silo's retry budget allows now (one budget per process), or null before the pipeline made one.</param>
/// <param name="ConcurrencyLimit">The client calls this silo admits at once now (adaptive shedding), or null without shedding.</param>
/// <param name="DedupHitsPerSecond">Keyed calls answered from a stored outcome, per second.</param>
/// <param name="Members">The cluster's silos as this silo's membership view has them.</param>
/// <param name="Services">One entry per grain interface this silo called or served.</param>
public sealed record ResilienceSnapshot(
    string Silo,
    DateTimeOffset At,
    double WindowSeconds,
    bool Draining,
    long InFlight,
    double? RetryBudgetTokens,
    int? ConcurrencyLimit,
    double DedupHitsPerSecond,
    IReadOnlyList<MemberView> Members,
    IReadOnlyList<ServiceView> Services);

/// <summary>A silo in the membership view.</summary>
/// <param name="Address">Its silo address.</param>
/// <param name="Name">Its name.</param>
/// <param name="Status">Its membership status (Active, ShuttingDown, Dead, ...).</param>
/// <param name="IsSelf">True for the silo serving the page.</param>
/// <param name="Draining">True while it is leaving (ShuttingDown or Stopping), or for this silo once it began to stop.</param>
public sealed record MemberView(string Address, string Name, string Status, bool IsSelf, bool Draining);

/// <summary>One grain interface, as this silo sees it.</summary>
/// <param name="Service">The interface (<c>rpc.service</c>).</param>
/// <param name="CallsPerSecond">Logical calls this silo started (it was the edge), per second, by status.</param>
/// <param name="P50Seconds">Median duration of those calls.</param>
/// <param name="P99Seconds">99th percentile duration of those calls.</param>
/// <param name="DeadlineSeconds">The longest deadline among those calls.</param>
/// <param name="P99OfDeadline">99th percentile of duration / deadline (<c>reliablerpc.call.deadline_fraction</c>): 1 is the deadline.</param>
/// <param name="AttemptsPerCall">Attempts per logical call (retry amplification); null without calls.</param>
/// <param name="ServedPerSecond">Calls this silo's grains served, per second, by status.</param>
/// <param name="ServedP50Seconds">Median duration of the served calls.</param>
/// <param name="ServedP99Seconds">99th percentile duration of the served calls.</param>
/// <param name="InFlight">Calls of this interface this silo's grains are running now.</param>
/// <param name="Breaker">The circuit of this silo's calls to the interface: closed, half_open, open; null if it has none.</param>
/// <param name="BreakerSince">When the circuit last changed state, if it did since the silo started.</param>
/// <param name="BreakerRejectionsPerSecond">Calls the open circuit refused, per second.</param>
/// <param name="ShedPerSecond">Client calls shed by this silo, per second.</param>
/// <param name="ArrivalDropsPerSecond">Calls refused on arrival because their deadline had passed, per second.</param>
/// <param name="RetriesPerSecond">Retries of this silo's calls, per second.</param>
/// <param name="BudgetRefusalsPerSecond">Retries the budget refused, per second.</param>
public sealed record ServiceView(
    string Service,
    IReadOnlyDictionary<string, double> CallsPerSecond,
    double? P50Seconds,
    double? P99Seconds,
    double? DeadlineSeconds,
    double? P99OfDeadline,
    double? AttemptsPerCall,
    IReadOnlyDictionary<string, double> ServedPerSecond,
    double? ServedP50Seconds,
    double? ServedP99Seconds,
    long InFlight,
    string? Breaker,
    DateTimeOffset? BreakerSince,
    double BreakerRejectionsPerSecond,
    double ShedPerSecond,
    double ArrivalDropsPerSecond,
    double RetriesPerSecond,
    double BudgetRefusalsPerSecond);
