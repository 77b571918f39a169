using System.Reflection;
using Orleans.Serialization.Invocation;

namespace ReliableRpc.Tests.Unit.Fakes;

/// <summary>A request for a method <c>Task&lt;string&gt; Echo(string payload, CancellationToken token)</c>.</summary>
internal sealed class FakeInvokable : IInvokable
{
    public static readonly MethodInfo Method = typeof(IFakeGrain).GetMethod(nameof(IFakeGrain.Echo))!;

    public object?[] Arguments { get; } = ["payload", CancellationToken.None];

    public object? GetTarget() => null;

    public void SetTarget(ITargetHolder holder)
    {
    }

    public ValueTask<Response> Invoke() => throw new NotSupportedException();

    public int GetArgumentCount() => Arguments.Length;

    public object? GetArgument(int index) => Arguments[index];

    public void SetArgument(int index, object value) => Arguments[index] = value;

    public string GetMethodName() => Method.Name;

    public string GetInterfaceName() => nameof(IFakeGrain);

    public string GetActivityName() => $"{nameof(IFakeGrain)}/{Method.Name}";

    public MethodInfo GetMethod() => Method;

    public Type GetInterfaceType() => typeof(IFakeGrain);

    public CancellationToken GetCancellationToken() => (CancellationToken)Arguments[1]!;

    public bool IsCancellable => true;

    /// <summary>Resets the arguments, as Orleans does when it disposes a request after a same-silo call.</summary>
    public void Dispose()
    {
        Arguments[0] = null;
        Arguments[1] = CancellationToken.None;
    }

    public interface IFakeGrain
    {
        Task<string> Echo(string payload, CancellationToken token);
    }
}
