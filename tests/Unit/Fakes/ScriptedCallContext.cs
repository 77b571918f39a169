using System.Reflection;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;
using ReliableRpc.Pipeline.Internal;

namespace ReliableRpc.Tests.Unit.Fakes;

/// <summary>
/// An outgoing call whose attempts follow a script: each attempt gets the next step's outcome, and the
/// request is disposed after each attempt, as for a same-silo call. The first attempt runs through
/// <see cref="Invoke"/>, later ones through <see cref="Retries"/>, with requests of their own, as in the pipeline.
/// </summary>
internal sealed class ScriptedCallContext(TimeProvider time, params Func<CancellationToken, Task<Response>>[] script) : IOutgoingGrainCallContext
{
    /// <summary>Sends later attempts to the call's own script.</summary>
    public static readonly IRetryRequests Retries = new ScriptedRetries();

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

    public async Task Invoke() => Response = await Run(_request);

    private async Task<Response> Run(FakeInvokable request)
    {
        AttemptStarts.Add(time.GetElapsedTime(StartTimestamp));
        PayloadsSeen.Add((string?)request.Arguments[0]);
        var step = script[Math.Min(Attempts - 1, script.Length - 1)];
        try
        {
            return await step(request.GetCancellationToken());
        }
        finally
        {
            request.Dispose();
        }
    }

    private sealed class ScriptedRetries : IRetryRequests
    {
        public IInvokable Create(CallExecution call)
        {
            var request = new FakeInvokable();
            request.Arguments[0] = call.Arguments?[0];
            return request;
        }

        public async Task<object?> Send(CallExecution call, IInvokable request)
        {
            var response = await ((ScriptedCallContext)call.Context).Run((FakeInvokable)request);
            return response.Exception is { } failure ? throw failure : response.Result;
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
