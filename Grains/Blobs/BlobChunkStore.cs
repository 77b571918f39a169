using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace ReliableRpc.Grains.Blobs;

/// <summary>
/// Chunks of uploads in grain storage, each under its own key (the id <c>blobchunk/{uploadId}/{index}</c>, state
/// "chunk"): appending a chunk writes that chunk alone. No grain is activated per chunk — the upload grain reads and
/// writes them through the storage provider directly — so a chunk costs one storage write and no memory once written.
/// </summary>
internal sealed class BlobChunkStore(IGrainStorage storage, string uploadId)
{
    private const string StateName = "chunk";
    private const string ChunkGrainType = "blobchunk";

    /// <summary>Stores chunk <paramref name="index"/>, replacing what a write that was never committed left there.</summary>
    public async Task WriteAsync(int index, byte[] data)
    {
        var id = Id(index);
        var state = new GrainState<BlobChunk>(new BlobChunk { Data = data });
        try
        {
            await storage.WriteStateAsync(StateName, id, state);
        }
        catch (InconsistentStateException)
        {
            // Usually there is nothing there, so the write goes without a read. Something is there when a crash
            // came between a chunk's write and the metadata's: the chunk was never committed, so overwrite it,
            // with the ETag the store asks for.
            var existing = new GrainState<BlobChunk>();
            await storage.ReadStateAsync(StateName, id, existing);
            state.ETag = existing.ETag;
            await storage.WriteStateAsync(StateName, id, state);
        }
    }

    /// <summary>The bytes of chunk <paramref name="index"/>, or null when it is not stored.</summary>
    public async Task<byte[]?> ReadAsync(int index)
    {
        var state = new GrainState<BlobChunk>();
        await storage.ReadStateAsync(StateName, Id(index), state);
        return state.RecordExists ? state.State?.Data : null;
    }

    /// <summary>Deletes chunk <paramref name="index"/>; returns its length, or null when there was none.</summary>
    public async Task<int?> DeleteAsync(int index)
    {
        var id = Id(index);
        var state = new GrainState<BlobChunk>();
        await storage.ReadStateAsync(StateName, id, state);
        if (!state.RecordExists)
        {
            return null;
        }

        await storage.ClearStateAsync(StateName, id, state);
        return state.State?.Data.Length ?? 0;
    }

    private GrainId Id(int index) => GrainId.Create(ChunkGrainType, $"{uploadId}/{index}");
}
