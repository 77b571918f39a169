using System.Globalization;

namespace ReliableRpc.Grains.Blobs;

/// <summary>The machine-readable facts blob failures carry in <see cref="RpcException.Metadata"/>, and typed access to them.</summary>
public static class BlobErrors
{
    /// <summary>The metadata key of the committed offset (decimal).</summary>
    public const string CommittedOffsetKey = "blob-committed-offset";

    /// <summary>A FailedPrecondition that tells the caller where the upload stands, so it can resume there.</summary>
    public static RpcException WrongOffset(string detail, long committedOffset) =>
        new(RpcStatus.FailedPrecondition, detail)
        {
            Metadata = new Dictionary<string, string> { [CommittedOffsetKey] = committedOffset.ToString(CultureInfo.InvariantCulture) },
        };

    /// <summary>The committed offset <paramref name="failure"/> carries, or null when it carries none.</summary>
    public static long? CommittedOffset(Exception failure) =>
        failure is RpcException rpc && rpc.Metadata.TryGetValue(CommittedOffsetKey, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : null;
}
