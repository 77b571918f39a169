using Microsoft.Extensions.Options;

namespace ReliableRpc.Grains.Blobs;

/// <summary>Refuses bad <see cref="BlobOptions"/> at start, naming the setting.</summary>
internal sealed class BlobOptionsValidator(IOptions<ReliableRpcOptions> rpc) : IValidateOptions<BlobOptions>
{
    /// <summary>Room left in a request for everything but the chunk's bytes: the offset, the envelope, RequestContext.</summary>
    internal const int EnvelopeAllowance = 64 * 1024;

    public ValidateOptionsResult Validate(string? name, BlobOptions options)
    {
        var failures = new List<string>();
        if (options.AbandonedAfter <= TimeSpan.Zero)
        {
            failures.Add($"{BlobOptions.Section}:AbandonedAfter must be positive (was {options.AbandonedAfter})");
        }

        if (options.SweepPeriod <= TimeSpan.Zero)
        {
            failures.Add($"{BlobOptions.Section}:SweepPeriod must be positive (was {options.SweepPeriod})");
        }

        if (options.MaxChunkBytes < 1 || options.MaxChunkBytes > BlobChunking.MaxChunkSize)
        {
            failures.Add($"{BlobOptions.Section}:MaxChunkBytes must be between 1 and {BlobChunking.MaxChunkSize} (was {options.MaxChunkBytes})");
        }

        // A chunk must fit through the pipeline's request limit, or every append would be refused as oversize.
        var size = rpc.Value.MessageSize;
        if (rpc.Value.Enabled && size.Enabled && options.MaxChunkBytes + EnvelopeAllowance > size.MaxRequestBytes)
        {
            failures.Add($"{BlobOptions.Section}:MaxChunkBytes ({options.MaxChunkBytes}) plus {EnvelopeAllowance} bytes of envelope must fit in ReliableRpc:MessageSize:MaxRequestBytes ({size.MaxRequestBytes})");
        }

        if (options.MaxBlobBytes < 0)
        {
            failures.Add($"{BlobOptions.Section}:MaxBlobBytes must not be negative (was {options.MaxBlobBytes})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
