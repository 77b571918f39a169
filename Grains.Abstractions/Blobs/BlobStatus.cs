namespace ReliableRpc.Grains.Blobs;

/// <summary>Where an upload stands.</summary>
public enum BlobStatus
{
    /// <summary>No such upload (never created, or cleaned up).</summary>
    None = 0,

    /// <summary>Chunks are being appended.</summary>
    Uploading = 1,

    /// <summary>Every byte received and the checksum verified: readable.</summary>
    Completed = 2,

    /// <summary>Completion found the stored bytes did not match the declared length or checksum; never readable.</summary>
    Failed = 3,
}
