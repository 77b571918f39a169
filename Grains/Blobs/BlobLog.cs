using Microsoft.Extensions.Logging;

namespace ReliableRpc.Grains.Blobs;

/// <summary>The uploads' log events.</summary>
internal static partial class BlobLog
{
    [LoggerMessage(EventId = 1501, EventName = "AbandonedUploadDeleted", Level = LogLevel.Information,
        Message = "Deleted abandoned upload {UploadId}: {Chunks} chunks ({Bytes} bytes) of {TotalLength} received, and its metadata; last change {UpdatedAt:O}, abandoned after {AbandonedAfter}")]
    public static partial void AbandonedUploadDeleted(ILogger logger, string uploadId, int chunks, long bytes, long totalLength, DateTimeOffset updatedAt, TimeSpan abandonedAfter);

    [LoggerMessage(EventId = 1502, EventName = "UploadChecksumMismatch", Level = LogLevel.Warning,
        Message = "Upload {UploadId} failed at completion: {Reason}")]
    public static partial void UploadFailed(ILogger logger, string uploadId, string reason);

    [LoggerMessage(EventId = 1503, EventName = "SweepFailed", Level = LogLevel.Warning,
        Message = "Checking upload {UploadId} for abandonment failed; the next reminder tick tries again: {Error}")]
    public static partial void SweepFailed(ILogger logger, string uploadId, string error);
}
