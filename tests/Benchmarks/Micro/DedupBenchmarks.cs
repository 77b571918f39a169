using BenchmarkDotNet.Attributes;

namespace ReliableRpc.Benchmarks.Micro;

/// <summary>The idempotency record lookup a keyed call makes before running, among a grain's retained records.</summary>
[MemoryDiagnoser]
public class DedupBenchmarks
{
    private readonly IdempotencyRecords _records = new();
    private string[] _keys = [];

    [Params(100, 1_000)]
    public int Retained { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _keys = Enumerable.Range(0, Retained).Select(_ => Guid.NewGuid().ToString("N")).ToArray();
        foreach (var key in _keys)
        {
            _records.Add(key, new IdempotencyRecord { Fingerprint = "f", RecordedAt = DateTimeOffset.UnixEpoch });
        }
    }

    [Benchmark(Baseline = true)]
    public bool Hit() => _records.TryGet(_keys[Retained / 2], out _);

    [Benchmark]
    public bool Miss() => _records.TryGet("00000000000000000000000000000000", out _);
}
