namespace ReliableRpc.Client.Load;

/// <summary>How hard and how long to drive the cluster.</summary>
/// <param name="Rate">Target calls per second.</param>
/// <param name="Concurrency">Most calls in flight at once.</param>
/// <param name="Duration">How long to start new calls.</param>
internal sealed record LoadOptions(int Rate, int Concurrency, TimeSpan Duration);
