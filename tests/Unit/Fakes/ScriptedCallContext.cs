using System.Reflection;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;

namespace ReliableRpc.Tests.Unit.Fakes;

/// <summary>
/// An outgoing call whose attempts follow a script: each attempt gets the next step's outcome, and the
/// request is disposed after each attempt, as for a same-silo call.
/// </summary>
internal sealed class ScriptedCallContext(TimeProvider time, params Func<CancellationToken, Task<Response>>[] script) : IOutgoingGrainCallContext
{
    private readonly FakeInvokable _request = new();

    public List<TimeSpan> AttemptStarts { get; } = new();

    public List<string?> PayloadsSeen { get; } = new();

    public long StartTimestamp { get; } = time.GetTimestamp();

    public IInvokable Request => _request;

    public object Grain => null!;

    public MethodInfo InterfaceMethod => FakeInvokable.Method;

    public object? Result { get => Response?.Result; set => Response = Response.FromResult(value); }

    public Response? Response { get; set; }

    public IGrainContext? SourceContext => null;

    public GrainId? SourceId => null;

    public GrainId TargetId => default;

    public GrainInterfaceType InterfaceType => default;

    public string InterfaceName => _request.GetInterfaceName();

    public string MethodName => _request.GetMethodName();

    public int Attempts => AttemptStarts.Count;

    public async Task Invoke()
    {
        AttemptStarts.Add(time.GetElapsedTime(StartTimestamp));
        PayloadsSeen.Add((string?)_request.Arguments[0]);
        var step = script[Math.Min(Attempts - 1, script.Length - 1)];
        try
        {
            Response = await step(_request.GetCancellationToken());
        }
        finally
        {
            _request.Dispose();
        }
    }

    public static Func<CancellationToken, Task<Response>> Fails(RpcException failure) => _ => Task.FromResult(Response.FromException(failure));

    public static Func<CancellationToken, Task<Response>> Succeeds(string value = "ok") => _ => Task.FromResult(Response.FromResult(value));

    /// <summary>Never answers; ends only when the attempt's token is cancelled, as Orleans does.</summary>
    public static Func<CancellationToken, Task<Response>> Hangs() => async token =>
    {
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException exception)
        {
            return Response.FromException(exception);
        }

        return Response.FromResult("late");
    };
}
