using BenchmarkDotNet.Attributes;
using Orleans.Runtime;
using ReliableRpc.Retries.Internal;

namespace ReliableRpc.Benchmarks.Micro;

/// <summary>What deciding a failure's fate costs: the status mapping of an Orleans exception, then the retry decision.</summary>
[MemoryDiagnoser]
public class ClassificationBenchmarks
{
    private readonly RpcException _unavailable = new(RpcStatus.Unavailable, "silo unavailable", notExecuted: true);
    private readonly RpcException _unknown = new(RpcStatus.Unknown, "outcome unknown");
    private readonly Exception _rejection = new SiloUnavailableException("The target silo became unavailable for message: Request S127.0.0.1:11111:1 ...");

    [Benchmark(Baseline = true)]
    public int ClassifyNotExecuted() => (int)RetryClassifier.Classify(_unavailable, safeToRepeat: false);

    [Benchmark]
    public int ClassifyUnknownOutcome() => (int)RetryClassifier.Classify(_unknown, safeToRepeat: true);

    [Benchmark]
    public RpcStatus MapOrleansException() => RpcStatusMapper.ToRpcException(_rejection).Status;
}
