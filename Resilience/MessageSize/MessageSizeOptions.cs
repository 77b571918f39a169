namespace ReliableRpc;

/// <summary>
/// Limits on what one call may carry. Orleans refuses a message over its own <c>MaxMessageBodySize</c> by closing
/// the whole connection, failing every other call on it; these limits refuse an oversize call alone, with
/// ResourceExhausted and the limit in the detail. Move larger data in chunks.
/// </summary>
public sealed class MessageSizeOptions
{
    /// <summary>Turns the limits on. The default value is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The largest request, estimated from its arguments before it is sent. The default value is 4 MiB.</summary>
    public long MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest response, estimated from the result before it is sent back. The default value is 4 MiB.</summary>
    public long MaxResponseBytes { get; set; } = 4 * 1024 * 1024;
}
