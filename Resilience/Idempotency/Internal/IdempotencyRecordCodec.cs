using System.Buffers.Binary;
using System.Text;

namespace ReliableRpc.Idempotency.Internal;

/// <summary>
/// Packs idempotency records into one byte array and back. Written by hand because it is a storage format:
/// versioned, little-endian, lengths as 7-bit varints, exact size computed first so packing allocates the
/// array and nothing else.
/// </summary>
/// <remarks>
/// Version 1: the byte 1, then per record: key (varint length + UTF-8), fingerprint (same), the time it was
/// recorded (int64 UTC ticks), a kind byte (0 result, 1 failure, 2 neither), then for a result its bytes (varint
/// length + bytes), for a failure its status (varint) and detail (varint length + 1 + UTF-8; 0 for none).
/// </remarks>
internal static class IdempotencyRecordCodec
{
    private const byte Version = 1;
    private const byte KindResult = 0;
    private const byte KindFailure = 1;
    private const byte KindNeither = 2;

    public static byte[] Pack(Dictionary<string, IdempotencyRecord> records)
    {
        var size = 1;
        foreach (var (key, record) in records)
        {
            size += StringSize(key) + StringSize(record.Fingerprint) + sizeof(long) + 1;
            if (record.FailureStatus is { } status)
            {
                size += VarintSize((uint)status) + (record.FailureDetail is { } detail ? VarintSize((uint)Encoding.UTF8.GetByteCount(detail) + 1) + Encoding.UTF8.GetByteCount(detail) : 1);
            }
            else if (record.Result is { } result)
            {
                size += VarintSize((uint)result.Length) + result.Length;
            }
        }

        var packed = new byte[size];
        var span = packed.AsSpan();
        span[0] = Version;
        var at = 1;
        foreach (var (key, record) in records)
        {
            at += WriteString(span[at..], key);
            at += WriteString(span[at..], record.Fingerprint);
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], record.RecordedAt.UtcTicks);
            at += sizeof(long);
            if (record.FailureStatus is { } status)
            {
                span[at++] = KindFailure;
                at += WriteVarint(span[at..], (uint)status);
                if (record.FailureDetail is { } detail)
                {
                    var length = Encoding.UTF8.GetByteCount(detail);
                    at += WriteVarint(span[at..], (uint)length + 1);
                    at += Encoding.UTF8.GetBytes(detail, span[at..]);
                }
                else
                {
                    at += WriteVarint(span[at..], 0);
                }
            }
            else if (record.Result is { } result)
            {
                span[at++] = KindResult;
                at += WriteVarint(span[at..], (uint)result.Length);
                result.CopyTo(span[at..]);
                at += result.Length;
            }
            else
            {
                span[at++] = KindNeither;
            }
        }

        return packed;
    }

    public static Dictionary<string, IdempotencyRecord> Unpack(byte[]? packed)
    {
        var records = new Dictionary<string, IdempotencyRecord>(StringComparer.Ordinal);
        if (packed is null || packed.Length == 0)
        {
            return records;
        }

        if (packed[0] != Version)
        {
            throw new InvalidOperationException(
                $"Idempotency records in format version {packed[0]} cannot be read by this version (it reads version {Version}); was the state written by a newer one?");
        }

        ReadOnlySpan<byte> span = packed;
        var at = 1;
        try
        {
            while (at < span.Length)
            {
                var key = ReadString(span, ref at);
                var record = new IdempotencyRecord
                {
                    Fingerprint = ReadString(span, ref at),
                    RecordedAt = new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(span[at..]), TimeSpan.Zero),
                };
                at += sizeof(long);
                switch (span[at++])
                {
                    case KindResult:
                        var length = (int)ReadVarint(span, ref at);
                        record.Result = span.Slice(at, length).ToArray();
                        at += length;
                        break;
                    case KindFailure:
                        record.FailureStatus = (RpcStatus)ReadVarint(span, ref at);
                        var detail = (int)ReadVarint(span, ref at);
                        if (detail > 0)
                        {
                            record.FailureDetail = Encoding.UTF8.GetString(span.Slice(at, detail - 1));
                            at += detail - 1;
                        }

                        break;
                    case KindNeither:
                        break;
                    case var kind:
                        throw new InvalidOperationException($"Idempotency records are damaged: unknown record kind {kind} at byte {at - 1}.");
                }

                records[key] = record;
            }
        }
        catch (Exception truncated) when (truncated is ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new InvalidOperationException($"Idempotency records are damaged: they end inside a record (byte {at} of {span.Length}).", truncated);
        }

        return records;
    }

    private static int StringSize(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        return VarintSize((uint)length) + length;
    }

    private static int WriteString(Span<byte> span, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var header = WriteVarint(span, (uint)length);
        return header + Encoding.UTF8.GetBytes(value, span[header..]);
    }

    private static string ReadString(ReadOnlySpan<byte> span, ref int at)
    {
        var length = (int)ReadVarint(span, ref at);
        var value = Encoding.UTF8.GetString(span.Slice(at, length));
        at += length;
        return value;
    }

    private static int VarintSize(uint value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int WriteVarint(Span<byte> span, uint value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[at++] = (byte)value;
        return at;
    }

    private static uint ReadVarint(ReadOnlySpan<byte> span, ref int at)
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = span[at++];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidOperationException($"Idempotency records are damaged: a length at byte {at} runs past 32 bits.");
    }
}
