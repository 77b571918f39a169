namespace ReliableRpc.Hosting;

/// <summary>Keys of the services the pipeline registers.</summary>
public static class ReliableRpcServices
{
    /// <summary>
    /// The key of the <see cref="TimeProvider"/> the pipeline reads time from (register a keyed one to test
    /// with a fake clock without changing Orleans' own). The default is <see cref="TimeProvider.System"/>.
    /// </summary>
    public const string TimeProviderKey = "ReliableRpc";
}
