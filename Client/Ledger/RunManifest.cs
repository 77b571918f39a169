using System.Text.Json;
using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Client.Ledger;

/// <summary>What a load or demo run touched, written to a file so <c>reconcile</c> can check it later.</summary>
internal sealed record RunManifest(string RunId, IReadOnlyList<string> Accounts, IReadOnlyDictionary<string, TransferRequest> Transfers)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static RunManifest Of(LedgerWorkload workload) =>
        new(workload.RunId, workload.AccountIds, new Dictionary<string, TransferRequest>(workload.Transfers));

    public async Task WriteAsync(FileInfo file, CancellationToken cancellationToken)
    {
        await using var stream = file.Create();
        await JsonSerializer.SerializeAsync(stream, this, Json, cancellationToken);
    }

    /// <summary>Reads a manifest; a missing or unreadable file fails with a message naming it.</summary>
    public static async Task<RunManifest> ReadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new ArgumentException($"manifest {file.FullName} does not exist");
        }

        try
        {
            await using var stream = file.OpenRead();
            return await JsonSerializer.DeserializeAsync<RunManifest>(stream, Json, cancellationToken)
                ?? throw new ArgumentException($"manifest {file.FullName} is empty");
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"manifest {file.FullName} is not a run manifest: {error.Message}");
        }
    }
}
