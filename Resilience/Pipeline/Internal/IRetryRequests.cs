using Orleans.Serialization.Invocation;

namespace ReliableRpc.Pipeline.Internal;

/// <summary>Builds and sends the request of an attempt after a call's first (<see cref="RetryRequests"/>; scripted in unit tests).</summary>
internal interface IRetryRequests
{
    /// <summary>A request of the attempt's own for the call's method, with the caller's arguments; its token is not set.</summary>
    IInvokable Create(CallExecution call);

    /// <summary>Sends <paramref name="request"/> to the call's grain; the task holds the method's result or its failure.</summary>
    Task<object?> Send(CallExecution call, IInvokable request);
}
