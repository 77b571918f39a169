namespace ReliableRpc.Retries.Internal;

/// <summary>What to do after a failed attempt, before the deadline and the budget have their say.</summary>
internal enum RetryDecision
{
    /// <summary>Do not retry: the status says it cannot help, or the method may have run and is not safe to repeat.</summary>
    Stop = 0,

    /// <summary>The attempt certainly did not run: retry without counting it against the attempt limit.</summary>
    Transparent = 1,

    /// <summary>The attempt may have run, and the method is safe to repeat: retry, counting the attempt.</summary>
    Counted = 2,
}
