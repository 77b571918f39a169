namespace ReliableRpc.Silo.Dashboard;

/// <summary>The pipeline's counters the resilience page turns into per-second rates, per grain interface.</summary>
internal enum ResilienceCounter
{
    /// <summary><c>reliablerpc.calls</c>: logical calls started here.</summary>
    Calls,

    /// <summary><c>reliablerpc.attempts</c>: their attempts.</summary>
    Attempts,

    /// <summary><c>reliablerpc.retries</c>.</summary>
    Retries,

    /// <summary><c>reliablerpc.retry_budget.exhausted</c>.</summary>
    BudgetRefusals,

    /// <summary><c>reliablerpc.breaker.rejections</c>.</summary>
    BreakerRejections,

    /// <summary><c>reliablerpc.shed</c>.</summary>
    Shed,

    /// <summary><c>reliablerpc.deadline.exceeded</c> with <c>side</c> = arrival.</summary>
    ArrivalDrops,
}
