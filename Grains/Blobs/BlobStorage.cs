namespace ReliableRpc.Grains.Blobs;

/// <summary>The grain storage provider uploads persist to (metadata and chunks); the silo registers it.</summary>
public static class BlobStorage
{
    /// <summary>The provider name.</summary>
    public const string Name = "blobs";

    /// <summary>The keyed <see cref="TimeProvider"/> uploads read the time from (creation, activity, abandonment).</summary>
    public const string TimeProviderKey = "ReliableRpc.Blobs";
}
