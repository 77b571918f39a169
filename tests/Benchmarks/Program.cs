using System.CommandLine;
using System.Globalization;
using System.Text;
using ReliableRpc.Benchmarks;

// The cluster throughput harness: configurations interleaved, repeated, reported as ratios to bare
// Orleans measured in the same run (these machines are shared and noisy; only ratios count).
var reps = new Option<int>("--reps") { Description = "Repetitions of each configuration.", DefaultValueFactory = _ => 3 };
var seconds = new Option<double>("--seconds") { Description = "Measured seconds per run.", DefaultValueFactory = _ => 5 };
var concurrency = new Option<int>("--concurrency") { Description = "Calls in flight.", DefaultValueFactory = _ => 100 };
var output = new Option<FileInfo?>("--output") { Description = "Also write the markdown table to this file." };
var root = new RootCommand("ReliableRpc throughput harness: bare Orleans vs the pipeline, interleaved.") { reps, seconds, concurrency, output };
root.SetAction(async (parse, ct) =>
{
    var results = new List<ThroughputResult>();
    var port = 12000;
    for (var rep = 1; rep <= parse.GetValue(reps); rep++)
    {
        foreach (var configuration in ClusterConfiguration.All)
        {
            var result = await ThroughputRun.RunAsync(configuration, rep, parse.GetValue(concurrency),
                TimeSpan.FromSeconds(Math.Min(2, parse.GetValue(seconds))), TimeSpan.FromSeconds(parse.GetValue(seconds)), port);
            port += 2;
            results.Add(result);
            Console.Error.WriteLine($"rep {rep} {configuration.Name,-20} {result.CallsPerSecond,10:N0} calls/s {result.BytesPerCall,8:N0} B/call");
        }
    }

    var table = Report(results, parse.GetValue(concurrency));
    Console.WriteLine(table);
    if (parse.GetValue(output) is { } file)
    {
        await File.WriteAllTextAsync(file.FullName, table, ct);
    }

    return 0;
});
return await root.Parse(args).InvokeAsync();

static string Report(IReadOnlyList<ThroughputResult> results, int concurrency)
{
    var text = new StringBuilder();
    text.AppendLine(CultureInfo.InvariantCulture, $"Throughput, client→silo over loopback TCP, {concurrency} calls in flight, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
    text.AppendLine();
    text.AppendLine("| configuration | calls/s (median) | ratio to bare, per repetition | median ratio | bytes/call (median) |");
    text.AppendLine("|---|---|---|---|---|");
    var bare = results.Where(r => r.Configuration == ClusterConfiguration.Bare.Name).ToDictionary(r => r.Repetition);
    foreach (var group in results.GroupBy(r => r.Configuration))
    {
        var ratios = group.Select(r => r.CallsPerSecond / bare[r.Repetition].CallsPerSecond).ToArray();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {group.Key} | {Median(group.Select(r => r.CallsPerSecond)):N0} | {string.Join(" ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))} | {Median(ratios):0.00}× | {Median(group.Select(r => r.BytesPerCall)):N0} |");
    }

    return text.ToString();
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
