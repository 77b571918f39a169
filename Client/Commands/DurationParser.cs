using System.Globalization;

namespace ReliableRpc.Client.Commands;

/// <summary>Parses durations as people write them: "500ms", "30s", "2m", "1h", or "00:00:30".</summary>
internal static class DurationParser
{
    /// <summary>Parses <paramref name="text"/>, or returns null and an error naming the accepted forms.</summary>
    public static TimeSpan? Parse(string text, out string? error)
    {
        error = null;
        var units = new (string Suffix, Func<double, TimeSpan> Make)[]
        {
            ("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes), ("h", TimeSpan.FromHours),
        };
        foreach (var (suffix, make) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return Checked(make(value), text, out error);
            }
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            return Checked(span, text, out error);
        }

        error = $"'{text}' is not a duration; use e.g. 500ms, 30s, 2m or 00:01:00";
        return null;
    }

    private static TimeSpan? Checked(TimeSpan value, string text, out string? error)
    {
        error = value > TimeSpan.Zero ? null : $"'{text}' must be a positive duration";
        return error is null ? value : null;
    }
}
