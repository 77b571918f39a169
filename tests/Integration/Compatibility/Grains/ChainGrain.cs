namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>What a chain grain throws at its hop.</summary>
[GenerateSerializer]
public enum Failure
{
    /// <summary><see cref="InvalidOperationException"/> with an <see cref="ArgumentException"/> inside.</summary>
    InvalidOperation,

    /// <summary><see cref="ChainTestException"/>, a type of ours with an Orleans codec, with a <see cref="FormatException"/> inside.</summary>
    Custom,

    /// <summary>An <see cref="AggregateException"/> with one <see cref="InvalidOperationException"/> inside.</summary>
    Aggregate,
}

/// <summary>An exception type of the application's own, serialized by the codec Orleans generates for it.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Tests.Compatibility.ChainTestException")]
public sealed class ChainTestException : Exception
{
    public ChainTestException(string message, int code, Exception? innerException)
        : base(message, innerException) => Code = code;

    [Id(0)]
    public int Code { get; private set; }
}

/// <summary>One hop of a call chain: client → A → B → C, each hop on another silo than the one before.</summary>
public interface IChainGrain : ILocatedGrain, IGrainWithGuidKey
{
    /// <summary>Calls the first of <paramref name="rest"/> with the others, or throws when <paramref name="hop"/> equals <paramref name="throwAt"/>.</summary>
    Task<string> Relay(List<IChainGrain> rest, int hop, int throwAt, Failure failure);

    /// <summary>Calls <paramref name="callee"/>, which throws <see cref="InvalidOperationException"/>, and catches it by type.</summary>
    Task<string> CatchCalleeFailure(IChainGrain callee);
}

public sealed class ChainGrain : LocatedGrain, IChainGrain
{
    public const string InnerMessage = "the inner cause";

    public static string Message(int hop) => $"thrown at hop {hop}";

    public async Task<string> Relay(List<IChainGrain> rest, int hop, int throwAt, Failure failure)
    {
        await Task.Yield();
        if (hop == throwAt)
        {
            throw failure switch
            {
                Failure.InvalidOperation => new InvalidOperationException(Message(hop), new ArgumentException(InnerMessage)),
                Failure.Custom => new ChainTestException(Message(hop), code: 42, new FormatException(InnerMessage)),
                Failure.Aggregate => new AggregateException(new InvalidOperationException(Message(hop))),
                _ => new ArgumentOutOfRangeException(nameof(failure)),
            };
        }

        return rest.Count == 0 ? $"end at hop {hop}" : await rest[0].Relay(rest[1..], hop + 1, throwAt, failure);
    }

    public async Task<string> CatchCalleeFailure(IChainGrain callee)
    {
        try
        {
            await callee.Relay([], hop: 0, throwAt: 0, Failure.InvalidOperation);
            return "the callee did not throw";
        }
        catch (InvalidOperationException exception)
        {
            return $"caught: {exception.Message}";
        }
    }
}
