namespace ReliableRpc.Tests.System.Chaos;

/// <summary>What the chaos scheduler does to the cluster's processes.</summary>
internal enum Disruption
{
    /// <summary>Every silo restarted gracefully, one at a time.</summary>
    RollingRestart,

    /// <summary>SIGKILL of one silo, started again 2 s later (as the local supervisor does).</summary>
    Kill,

    /// <summary>SIGSTOP of one silo for 5–15 s, then SIGCONT; if it was declared dead meanwhile it stops itself and is started again.</summary>
    Freeze,
}
