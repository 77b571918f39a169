namespace ReliableRpc.Client.Connection;

/// <summary>The client could not connect to any gateway of the cluster in time.</summary>
internal sealed class ClusterUnreachableException(string message) : Exception(message);
