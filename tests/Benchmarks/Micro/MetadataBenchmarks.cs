using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;
using ReliableRpc.Metadata.Internal;

namespace ReliableRpc.Benchmarks.Micro;

/// <summary>
/// The call metadata's cost: encoding and decoding it with Orleans' serializer, and setting and taking it in
/// RequestContext (an AsyncLocal: every change copies the context's values).
/// </summary>
[MemoryDiagnoser]
public class MetadataBenchmarks
{
    private readonly CallMetadata _metadata = new(2_500, 2, "0f8fefb0a1b34c1f9d7a2f0e5c9b8d71");
    private Serializer _serializer = null!;
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        _serializer = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(CallMetadata).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>();
        _encoded = _serializer.SerializeToArray(_metadata);
    }

    [Benchmark(Baseline = true)]
    public int Encode() => _serializer.SerializeToArray(_metadata).Length;

    [Benchmark]
    public ushort Decode() => _serializer.Deserialize<CallMetadata>(_encoded)!.Attempt;

    [Benchmark]
    public ushort SetAndTakeInRequestContext()
    {
        CallMetadataCarrier.Write(_metadata);
        var taken = CallMetadataCarrier.Take();
        RequestContext.Clear();
        return taken!.Attempt;
    }
}
