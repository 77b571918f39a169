using Microsoft.Extensions.Time.Testing;

namespace ReliableRpc.Tests.Integration.Infrastructure;

/// <summary>
/// The uploads' clock in clusters started with <see cref="Setting"/> = "fake": every silo of the in-process cluster
/// shares it, so a test can age an upload by days without waiting. Only the clusters that ask for it use it.
/// </summary>
public static class BlobClock
{
    /// <summary>The cluster setting that selects the fake clock.</summary>
    public const string Setting = "Tests:BlobClock";

    /// <summary>The shared fake clock.</summary>
    public static FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
}
