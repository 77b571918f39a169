using System.CommandLine;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Running;
using ReliableRpc.Benchmarks;

// Two tools in one: "micro [BenchmarkDotNet arguments]" runs the micro-benchmarks (classification, backoff, breaker,
// metadata, dedup) with the memory diagnoser; anything else runs the cluster throughput harness: configurations
// interleaved, repeated, reported as ratios to bare Orleans measured in the same run (these machines are shared
// and noisy; only ratios count).
if (args.Length > 0 && args[0] == "micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(ThroughputRun).Assembly).Run(args[1..]);
    return 0;
}

var reps = new Option<int>("--reps") { Description = "Repetitions of each configuration.", DefaultValueFactory = _ => 3 };
var seconds = new Option<double>("--seconds") { Description = "Measured seconds per run (the unloaded latency takes half as long again).", DefaultValueFactory = _ => 5 };
var concurrency = new Option<int>("--concurrency") { Description = "Calls in flight.", DefaultValueFactory = _ => 100 };
var only = new Option<string[]>("--only") { Description = "Run only the configurations whose name contains one of these (bare baselines always run).", AllowMultipleArgumentsPerToken = true };
var output = new Option<FileInfo?>("--output") { Description = "Also write the markdown table to this file." };
var allocations = new Option<bool>("--allocations") { Description = "Also print, per configuration, the types that allocate the most (sampled from the GC's AllocationTick event; slows the runs)." };
var root = new RootCommand("ReliableRpc throughput harness: bare Orleans vs the pipeline, interleaved. 'micro' runs the BenchmarkDotNet micro-benchmarks.")
{
    reps, seconds, concurrency, only, output, allocations,
};
root.SetAction(async (parse, ct) =>
{
    var filters = parse.GetValue(only) ?? [];
    var configurations = ClusterConfiguration.All
        .Where(c => filters.Length == 0 || c.Baseline == c || filters.Any(f => c.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
        .ToList();
    var results = new List<ThroughputResult>();
    var port = 12000;
    for (var rep = 1; rep <= parse.GetValue(reps); rep++)
    {
        foreach (var configuration in configurations)
        {
            using var sampler = parse.GetValue(allocations) ? new AllocationSampler() : null;
            var result = await ThroughputRun.RunAsync(configuration, rep, parse.GetValue(concurrency),
                TimeSpan.FromSeconds(Math.Min(2, parse.GetValue(seconds))), TimeSpan.FromSeconds(parse.GetValue(seconds)), port, sampler);
            port += 2;
            results.Add(result);
            Console.Error.WriteLine($"rep {rep} {configuration.Name,-26} {result.CallsPerSecond,10:N0} calls/s {result.BytesPerCall,8:N0} B/call  unloaded p50 {result.UnloadedP50.TotalMicroseconds:0} µs p99 {result.UnloadedP99.TotalMicroseconds:0} µs");
            foreach (var (type, bytes) in sampler?.Top(15) ?? [])
            {
                Console.Error.WriteLine($"    {bytes / Math.Max(1, result.CallsPerSecond * parse.GetValue(seconds)),8:N0} B/call  {type}");
            }
        }
    }

    var table = Report(configurations, results, parse.GetValue(concurrency));
    Console.WriteLine(table);
    if (parse.GetValue(output) is { } file)
    {
        await File.WriteAllTextAsync(file.FullName, table, ct);
    }

    return 0;
});
return await root.Parse(args).InvokeAsync();

static string Report(IReadOnlyList<ClusterConfiguration> configurations, IReadOnlyList<ThroughputResult> results, int concurrency)
{
    var text = new StringBuilder();
    text.AppendLine(CultureInfo.InvariantCulture, $"Throughput, client→silo over loopback TCP in one process, {concurrency} calls in flight; unloaded latency with 1 in flight. {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}.");
    text.AppendLine();
    text.AppendLine("| configuration | calls/s (median) | ratio to its bare baseline, per repetition | median ratio | bytes/call (median) | unloaded p50 / p99 (median) |");
    text.AppendLine("|---|---|---|---|---|---|");
    var byRun = results.ToDictionary(r => (r.Configuration, r.Repetition));
    foreach (var configuration in configurations)
    {
        var runs = results.Where(r => r.Configuration == configuration.Name).ToArray();
        var ratios = runs.Select(r => r.CallsPerSecond / byRun[(configuration.Baseline.Name, r.Repetition)].CallsPerSecond).ToArray();
        var median = $"{Median(ratios):0.00}×";
        if (configuration.AlsoComparedTo is { } other && runs.All(r => byRun.ContainsKey((other.Name, r.Repetition))))
        {
            // Per repetition too: runs of one round share the machine's mood, runs of different rounds do not.
            var toOther = runs.Select(r => r.CallsPerSecond / byRun[(other.Name, r.Repetition)].CallsPerSecond).ToArray();
            median += $" ({Median(toOther):0.00}× of {other.Name}: {string.Join(" ", toOther.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))})";
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {configuration.Name} | {Median(runs.Select(r => r.CallsPerSecond)):N0} | {string.Join(" ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))} | {median} | {Median(runs.Select(r => r.BytesPerCall)):N0} | {Median(runs.Select(r => r.UnloadedP50.TotalMicroseconds)):0} / {Median(runs.Select(r => r.UnloadedP99.TotalMicroseconds)):0} µs |");
    }

    return text.ToString();
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
