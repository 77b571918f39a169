namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>Failures for <see cref="UserRetryFilter"/> to see and retry.</summary>
public interface IFlakyGrain : IGrainWithGuidKey
{
    /// <summary>Throws <see cref="InvalidOperationException"/> on its first call, then returns how many times it ran.</summary>
    Task<int> FailsOnFirstCall();

    /// <summary>Always throws <see cref="InvalidOperationException"/>.</summary>
    Task<int> AlwaysFails();

    /// <summary>How many times <see cref="FailsOnFirstCall"/> ran.</summary>
    Task<int> Runs();
}

public sealed class FlakyGrain : Grain, IFlakyGrain
{
    public const string FirstCallMessage = "the first call fails";
    public const string AlwaysMessage = "this call always fails";

    private int _runs;

    public Task<int> FailsOnFirstCall()
    {
        _runs++;
        return _runs == 1 ? throw new InvalidOperationException(FirstCallMessage) : Task.FromResult(_runs);
    }

    public Task<int> AlwaysFails() => throw new InvalidOperationException(AlwaysMessage);

    public Task<int> Runs() => Task.FromResult(_runs);
}
