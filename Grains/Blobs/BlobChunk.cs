using Orleans;

namespace ReliableRpc.Grains.Blobs;

/// <summary>One stored chunk: the unit written under its own storage key.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Blobs.BlobChunk")]
public sealed class BlobChunk
{
    /// <summary>The chunk's bytes.</summary>
    [Id(0)] public byte[] Data { get; set; } = [];
}
