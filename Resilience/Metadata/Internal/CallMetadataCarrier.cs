using Orleans.Runtime;

namespace ReliableRpc.Metadata.Internal;

/// <summary>Reads and writes <see cref="CallMetadata"/> in Orleans' RequestContext.</summary>
internal static class CallMetadataCarrier
{
    /// <summary>The RequestContext key; short, because it travels in every message that carries metadata.</summary>
    public const string Key = "rrpc";

    /// <summary>Sets the metadata of the attempt about to be sent.</summary>
    public static void Write(CallMetadata metadata) => RequestContext.Set(Key, metadata);

    /// <summary>
    /// Reads the incoming call's metadata and removes it, so the method's own calls do not inherit the
    /// caller's attempt number (RequestContext flows into every call a method makes).
    /// </summary>
    public static CallMetadata? Take()
    {
        if (RequestContext.Get(Key) is not CallMetadata metadata)
        {
            return null;
        }

        RequestContext.Remove(Key);
        return metadata;
    }
}
