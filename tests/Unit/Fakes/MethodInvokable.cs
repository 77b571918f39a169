using System.Reflection;
using Orleans.Serialization.Invocation;

namespace ReliableRpc.Tests.Unit.Fakes;

/// <summary>A request for any interface method, for what is resolved from the method alone (its policy); it cannot run.</summary>
internal sealed class MethodInvokable(MethodInfo method) : IInvokable
{
    public object? GetTarget() => null;

    public void SetTarget(ITargetHolder holder)
    {
    }

    public ValueTask<Response> Invoke() => throw new NotSupportedException();

    public int GetArgumentCount() => method.GetParameters().Length;

    public object? GetArgument(int index) => null;

    public void SetArgument(int index, object value)
    {
    }

    public string GetMethodName() => method.Name;

    public string GetInterfaceName() => method.DeclaringType!.Name;

    public string GetActivityName() => $"{GetInterfaceName()}/{method.Name}";

    public MethodInfo GetMethod() => method;

    public Type GetInterfaceType() => method.DeclaringType!;

    public CancellationToken GetCancellationToken() => CancellationToken.None;

    public void Dispose()
    {
    }
}
