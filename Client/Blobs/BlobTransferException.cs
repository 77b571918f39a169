namespace ReliableRpc.Client.Blobs;

/// <summary>A transfer refused or failed on the client's side: file missing, file not the upload's, checksum mismatch.</summary>
internal sealed class BlobTransferException(string message) : Exception(message);
