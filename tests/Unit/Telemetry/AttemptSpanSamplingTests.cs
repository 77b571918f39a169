using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization.Invocation;
using ReliableRpc.Pipeline.Internal;
using ReliableRpc.Policies.Internal;
using ReliableRpc.Retries.Internal;
using ReliableRpc.Tests.Unit.Fakes;
using static ReliableRpc.Tests.Unit.Fakes.ScriptedCallContext;

namespace ReliableRpc.Tests.Unit.Telemetry;

/// <summary>Attempt spans exist only under a recorded logical span: a sampled-out call still carries its context, cheaply.</summary>
public sealed class AttemptSpanSamplingTests : IDisposable
{
    // A name of its own: the listener hears every test running in this process.
    private const string Service = "ISampledEchoGrain";
    private readonly ConcurrentBag<Activity> _started = new();
    private readonly ActivityListener _listener = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _listener.Dispose();

    [Theory]
    [InlineData(ActivitySamplingResult.AllDataAndRecorded, 2)]
    [InlineData(ActivitySamplingResult.PropagationData, 0)]
    public async Task ACallFailingOnceThenSucceeding_HasAttemptSpansOnlyWhenItsLogicalSpanIsRecorded(ActivitySamplingResult sampling, int attemptSpans)
    {
        _listener.ShouldListenTo = source => source.Name == ReliableRpcDiagnostics.Name;
        _listener.Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
            options.Parent == default ? sampling : options.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? sampling : ActivitySamplingResult.PropagationData;
        _listener.ActivityStarted = activity =>
        {
            if (activity.DisplayName.StartsWith(Service, StringComparison.Ordinal))
            {
                _started.Add(activity);
            }
        };
        ActivitySource.AddActivityListener(_listener);

        var context = new ScriptedCallContext(_time, Fails(new RpcException(RpcStatus.Unavailable, "silo stopping", notExecuted: true)), Succeeds());
        var policy = new MethodPolicy(false, Service, "Echo", idempotent: true, TimeSpan.FromSeconds(10), cancellationTokenIndex: 1);
        var pipeline = new CallPipeline(new ReliableRpcOptions(), new RetryBudget(new RetryBudgetOptions(), _time), new JitterSource(3), _time, NullLogger.Instance, ScriptedCallContext.Retries);
        var call = new CallExecution(context, policy, RetryProfile.CreateInteractive(), isEdge: true, retriesEnabled: true, TimeSpan.FromSeconds(10), _time);

        var execution = pipeline.ExecuteAsync(call);
        for (var step = 0; !execution.IsCompleted && step < 2_000; step++)
        {
            await Task.Delay(1);
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        await execution;
        Assert.Null(call.Failure);
        Assert.Equal(2, context.Attempts);
        var logical = Assert.Single(_started, a => !a.DisplayName.Contains("attempt", StringComparison.Ordinal));
        Assert.Equal(sampling == ActivitySamplingResult.AllDataAndRecorded, logical.Recorded);
        Assert.Equal(attemptSpans, _started.Count(a => a.DisplayName.Contains("attempt", StringComparison.Ordinal)));
    }
}
