namespace ReliableRpc.Silo.FaultInjection;

/// <summary>The kinds of fault <see cref="FaultInjectionFilter"/> injects; the names appear in its log lines.</summary>
public enum InjectedFault
{
    /// <summary>Fails with Unavailable before the method runs.</summary>
    Error,

    /// <summary>Runs the method, then fails with Unavailable as if the response were lost.</summary>
    LostResponse,

    /// <summary>Waits before the method runs.</summary>
    Delay,

    /// <summary>Runs the method twice.</summary>
    Duplicate,
}
