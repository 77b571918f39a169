namespace ReliableRpc.Hosting;

/// <summary>
/// Marks a service collection the pipeline was added to, with the configure step of every AddReliableRpc call on it:
/// the pipeline is registered once, from the options all of them make.
/// </summary>
internal sealed class ReliableRpcRegistration
{
    /// <summary>The configure steps, in the order they were given.</summary>
    public List<Action<ReliableRpcOptions>> Configures { get; } = [];
}
