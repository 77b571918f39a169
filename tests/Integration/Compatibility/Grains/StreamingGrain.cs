namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>IAsyncEnumerable grain methods, as Orleans' IObservableGrain.GetValues.</summary>
public interface IStreamingGrain : IGrainWithGuidKey
{
    IAsyncEnumerable<int> Count(int count);

    /// <summary>Yields <paramref name="count"/> values, then throws <see cref="InvalidOperationException"/>.</summary>
    IAsyncEnumerable<int> CountThenThrow(int count);
}

public sealed class StreamingGrain : Grain, IStreamingGrain
{
    public const string FailureMessage = "the enumeration fails";

    public async IAsyncEnumerable<int> Count(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Delay(10);
            yield return i;
        }
    }

    public async IAsyncEnumerable<int> CountThenThrow(int count)
    {
        await foreach (var value in Count(count))
        {
            yield return value;
        }

        throw new InvalidOperationException(FailureMessage);
    }
}
