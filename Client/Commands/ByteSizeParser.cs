using System.Globalization;

namespace ReliableRpc.Client.Commands;

/// <summary>Parses sizes as people write them: "65536", "256KiB", "1MiB", "64K", "500KB" (KiB/K/MiB/M are binary; KB/MB decimal).</summary>
internal static class ByteSizeParser
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("KiB", 1024), ("MiB", 1024 * 1024), ("KB", 1000), ("MB", 1000 * 1000), ("K", 1024), ("M", 1024 * 1024), ("B", 1),
    ];

    /// <summary>Parses <paramref name="text"/> into bytes, or returns null and an error naming the accepted forms.</summary>
    public static long? Parse(string text, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        var factor = 1L;
        foreach (var (suffix, unit) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                factor = unit;
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                break;
            }
        }

        if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > long.MaxValue / factor)
        {
            error = $"'{text}' is not a size; use e.g. 65536, 256KiB or 1MiB";
            return null;
        }

        return count * factor;
    }
}
