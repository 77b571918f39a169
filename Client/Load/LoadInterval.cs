namespace ReliableRpc.Client.Load;

/// <summary>The calls that ended during one interval of a load run (see <see cref="LoadStats.TakeInterval"/>).</summary>
/// <param name="Calls">Calls that ended, successful or not.</param>
/// <param name="Failed">Of those, the failed ones.</param>
/// <param name="P50">Median latency of the interval's calls.</param>
/// <param name="P99">99th percentile latency of the interval's calls.</param>
internal readonly record struct LoadInterval(long Calls, long Failed, TimeSpan P50, TimeSpan P99);
