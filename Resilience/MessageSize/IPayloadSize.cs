namespace ReliableRpc;

/// <summary>
/// Implemented by argument or result types that can be large, so the size limits see their size without
/// serializing them. Byte arrays, memory, strings and collections of them are measured without it.
/// </summary>
public interface IPayloadSize
{
    /// <summary>About how many bytes the value takes on the wire.</summary>
    long EstimatedBytes { get; }
}
