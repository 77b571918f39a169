using System.Collections;

namespace ReliableRpc.MessageSize.Internal;

/// <summary>
/// Estimates what a value takes on the wire from what it holds (lengths of byte arrays, memory and strings),
/// without serializing it: the check must not serialize a message twice.
/// </summary>
internal static class PayloadSize
{
    /// <summary>Bytes counted for a value whose size is not known: small, fixed.</summary>
    private const long Opaque = 16;

    /// <summary>True when values of <paramref name="type"/> can be large enough to matter.</summary>
    public static bool MayBeLarge(Type type) =>
        type == typeof(byte[]) || type == typeof(string) || type == typeof(object)
        || type == typeof(ReadOnlyMemory<byte>) || type == typeof(Memory<byte>) || type == typeof(ArraySegment<byte>)
        || typeof(IPayloadSize).IsAssignableFrom(type)
        || (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type));

    /// <summary>The estimated size of <paramref name="value"/>, stopping once it passes <paramref name="limit"/>.</summary>
    public static long Estimate(object? value, long limit, int depth = 0) => value switch
    {
        null => 1,
        byte[] bytes => bytes.LongLength,
        string text => text.Length * 3L > limit ? System.Text.Encoding.UTF8.GetByteCount(text) : text.Length,
        ReadOnlyMemory<byte> memory => memory.Length,
        Memory<byte> memory => memory.Length,
        ArraySegment<byte> segment => segment.Count,
        IPayloadSize sized => sized.EstimatedBytes,
        IEnumerable items when depth < 3 => Sum(items, limit, depth),
        _ => Opaque,
    };

    private static long Sum(IEnumerable items, long limit, int depth)
    {
        long total = 0;
        foreach (var item in items)
        {
            total += Estimate(item, limit, depth + 1);
            if (total > limit)
            {
                break;
            }
        }

        return total;
    }
}
