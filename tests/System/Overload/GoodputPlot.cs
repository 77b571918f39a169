using System.Globalization;
using System.Text;

namespace ReliableRpc.Tests.System.Overload;

/// <summary>
/// Goodput over time as an SVG line chart, one line per setup, the trigger shaded. Written by hand: a few dozen lines
/// of SVG text, where a plotting package would bring a native graphics stack to the test run.
/// </summary>
internal static class GoodputPlot
{
    private const int Width = 760;
    private const int Height = 360;
    private const int Left = 60;
    private const int Right = 150;
    private const int Top = 40;
    private const int Bottom = 40;
    private static readonly string[] Colours = ["#1b7837", "#c51b7d", "#2166ac", "#e08214"];

    /// <param name="title">The chart's title.</param>
    /// <param name="series">Per setup, its goodput (successes per second) for each second of the run.</param>
    /// <param name="trigger">The seconds the trigger lasted.</param>
    /// <param name="capacity">The bottleneck's capacity (calls per second), drawn as a dashed line.</param>
    public static string Svg(string title, IReadOnlyList<(string Name, IReadOnlyList<double> Goodput)> series, (double From, double To) trigger, double capacity)
    {
        var seconds = Math.Max(1, series.Max(s => s.Goodput.Count));
        var top = Math.Max(capacity * 1.2, series.SelectMany(s => s.Goodput).DefaultIfEmpty(0).Max() * 1.1);
        double X(double second) => Left + (second / seconds * (Width - Left - Right));
        double Y(double value) => Height - Bottom - (value / top * (Height - Top - Bottom));
        static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(X(trigger.From))}\" y=\"{Top}\" width=\"{F(X(trigger.To) - X(trigger.From))}\" height=\"{Height - Top - Bottom}\" fill=\"#eeeeee\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(trigger.From) + 4)}\" y=\"{Top + 14}\" fill=\"#666\">trigger</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(Y(capacity))}\" x2=\"{Width - Right}\" y2=\"{F(Y(capacity))}\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 4}\" y=\"{F(Y(capacity) - 4)}\" fill=\"#666\">capacity</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n");
        for (var tick = 0; tick <= 4; tick++)
        {
            var value = top * tick / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(Y(value) + 4)}\" text-anchor=\"end\">{F(value)}</text>\n");
        }

        for (var second = 0; second <= seconds; second += 10)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(second))}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{second}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\">seconds</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{(Top + Height - Bottom) / 2}\" transform=\"rotate(-90 14 {(Top + Height - Bottom) / 2})\" text-anchor=\"middle\">successful calls / s</text>\n");
        for (var i = 0; i < series.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            var points = string.Join(' ', series[i].Goodput.Select((v, s) => $"{F(X(s + 0.5))},{F(Y(v))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{points}\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Width - Right + 10}\" y1=\"{Top + 60 + (i * 20)}\" x2=\"{Width - Right + 30}\" y2=\"{Top + 60 + (i * 20)}\" stroke=\"{colour}\" stroke-width=\"2\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 36}\" y=\"{Top + 64 + (i * 20)}\">{Escape(series[i].Name)}</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
