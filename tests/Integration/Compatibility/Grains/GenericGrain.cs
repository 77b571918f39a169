namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>As Orleans' ISimpleGenericGrain1&lt;T&gt;.</summary>
public interface IGenericGrain<T> : IGrainWithIntegerKey
{
    Task Set(T value);

    Task<T> Get();
}

public sealed class GenericGrain<T> : Grain, IGenericGrain<T>
{
    private T? _value;

    public Task Set(T value)
    {
        _value = value;
        return Task.CompletedTask;
    }

    public Task<T> Get() => Task.FromResult(_value!);
}
