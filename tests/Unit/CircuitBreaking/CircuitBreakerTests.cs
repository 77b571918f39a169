using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;
using ReliableRpc.CircuitBreaking.Internal;
using ReliableRpc.Pipeline.Internal;
using ReliableRpc.Policies.Internal;
using ReliableRpc.Retries.Internal;
using ReliableRpc.Shedding.Internal;
using ReliableRpc.Tests.Unit.Fakes;
using static ReliableRpc.Tests.Unit.Fakes.ScriptedCallContext;

namespace ReliableRpc.Tests.Unit.CircuitBreaking;

/// <summary>The per-interface circuit inside the call pipeline, on a fake clock.</summary>
public class CircuitBreakerTests
{
    private static readonly MethodPolicy NotIdempotent = new(false, "IFakeGrain", "Echo", idempotent: false, TimeSpan.FromSeconds(10), cancellationTokenIndex: 1);

    private readonly FakeTimeProvider _time = new();
    private readonly CallPipeline _pipeline;

    public CircuitBreakerTests()
    {
        var options = new ReliableRpcOptions();
        var budget = new RetryBudget(new RetryBudgetOptions(), _time);
        _pipeline = new CallPipeline(options, budget, new JitterSource(1), _time, NullLogger.Instance, ScriptedCallContext.Retries);
    }

    private Task<(RpcException? Failure, int Attempts)> Call(Func<CancellationToken, Task<Response>> step, bool retries = true) =>
        Call(NotIdempotent, step, retries);

    private async Task<(RpcException? Failure, int Attempts)> Call(MethodPolicy policy, Func<CancellationToken, Task<Response>> step, bool retries = true)
    {
        var context = new ScriptedCallContext(_time, step);
        var call = new CallExecution(context, policy, RetryProfile.CreateInteractive(), isEdge: true, retriesEnabled: retries, TimeSpan.FromSeconds(10), _time);
        await _pipeline.ExecuteAsync(call).WaitAsync(TimeSpan.FromSeconds(10));
        var failure = call.Failure;
        _time.Advance(TimeSpan.FromMilliseconds(10));
        return (failure, context.Attempts);
    }

    [Fact]
    public async Task OverloadFailures_PastTheThreshold_OpenTheCircuitAndNothingIsSent()
    {
        for (var i = 0; i < 20; i++)
        {
            await Call(Fails(new RpcException(RpcStatus.Internal, "overloaded")));
        }

        var (failure, attempts) = await Call(Succeeds());

        Assert.Equal(0, attempts);
        Assert.Equal(RpcStatus.Unavailable, failure!.Status);
        Assert.True(failure.NotExecuted);
        Assert.True(failure.IsBrake);
        Assert.Contains("circuit open", failure.Detail);
    }

    [Fact]
    public async Task OpenCircuit_AfterTheBreak_LetsAProbeThroughAndClosesOnSuccess()
    {
        for (var i = 0; i < 20; i++)
        {
            await Call(Fails(new RpcException(RpcStatus.DeadlineExceeded, "slow")));
        }

        Assert.Equal(0, (await Call(Succeeds())).Attempts);
        _time.Advance(new CircuitBreakerOptions().BreakDuration);

        var probe = await Call(Succeeds());
        var after = await Call(Succeeds());

        Assert.Equal((null, 1), (probe.Failure, probe.Attempts));
        Assert.Equal((null, 1), (after.Failure, after.Attempts));
    }

    [Fact]
    public async Task AnAttemptInFlight_WhenTheCircuitOpens_StillGetsItsOwnAnswer()
    {
        // The breaker reads the circuit before sending and is told the outcome after: an answer that arrives after
        // the circuit opened must reach its caller, not the circuit's refusal.
        var answer = new TaskCompletionSource<Response>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = Call(_ => answer.Task, retries: false);
        for (var i = 0; i < 20; i++)
        {
            await Call(Fails(new RpcException(RpcStatus.ResourceExhausted, "overloaded")), retries: false);
        }

        Assert.Equal(0, (await Call(Succeeds())).Attempts);
        answer.SetResult(Response.FromResult("late but fine"));

        Assert.Equal((null, 1), await inFlight);
        Assert.Equal(0, (await Call(Succeeds())).Attempts);
    }

    [Fact]
    public async Task AFailedProbe_OpensTheCircuitAgain()
    {
        for (var i = 0; i < 20; i++)
        {
            await Call(Fails(new RpcException(RpcStatus.Internal, "overloaded")));
        }

        _time.Advance(new CircuitBreakerOptions().BreakDuration);
        var probe = await Call(Fails(new RpcException(RpcStatus.Internal, "still overloaded")), retries: false);
        var after = await Call(Succeeds());

        Assert.Equal((RpcStatus.Internal, 1), (probe.Failure!.Status, probe.Attempts));
        Assert.Equal(0, after.Attempts);
        Assert.True(after.Failure!.IsBrake);
    }

    [Fact]
    public async Task Finding9_ATargetThatOnlyHangs_DoesNotOpenTheCircuit()
    {
        // Many calls at once to a target that never answers: each attempt ends at its own timeout, at the caller,
        // which cannot tell a slow target from a frozen silo; so the breaker does not count it, by design.
        var calls = new List<(Task Execution, CallExecution Call)>();
        for (var i = 0; i < 30; i++)
        {
            var call = new CallExecution(new ScriptedCallContext(_time, Hangs()), NotIdempotent, RetryProfile.CreateInteractive(), isEdge: true, retriesEnabled: false, TimeSpan.FromSeconds(3), _time);
            calls.Add((_pipeline.ExecuteAsync(call), call));
        }

        _time.Advance(TimeSpan.FromSeconds(3));
        foreach (var (execution, call) in calls)
        {
            await execution.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal((RpcStatus.DeadlineExceeded, true), (call.Failure!.Status, call.Failure.ClientGenerated));
        }

        Assert.Equal(1, (await Call(Succeeds())).Attempts);
    }

    [Fact]
    public async Task Finding2_OneOpenCircuitRefusal_IsCountedOnce()
    {
        var policy = new MethodPolicy(false, "IRejectionCountProbe", "Echo", idempotent: false, TimeSpan.FromSeconds(10), cancellationTokenIndex: 1);
        for (var i = 0; i < 20; i++)
        {
            await Call(policy, Fails(new RpcException(RpcStatus.Internal, "overloaded")));
        }

        long rejections = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meters) =>
        {
            if (instrument.Meter.Name == ReliableRpcDiagnostics.Name && instrument.Name == ReliableRpcDiagnostics.BreakerRejections)
            {
                meters.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == ReliableRpcDiagnostics.ServiceTag && (string?)tag.Value == policy.InterfaceName)
                {
                    Interlocked.Add(ref rejections, value);
                }
            }
        });
        listener.Start();

        var refused = await Call(policy, Succeeds());

        Assert.Equal(0, refused.Attempts);
        Assert.True(refused.Failure!.IsBrake);
        Assert.Equal(1, Interlocked.Read(ref rejections));
    }

    [Fact]
    public async Task Finding3_ALateSuccess_DoesNotCloseAHalfOpenCircuit()
    {
        // Sent while the circuit was closed, answered after it opened and its break passed: that answer says
        // nothing about the target now, so the probe, not it, decides whether the circuit closes.
        var answer = new TaskCompletionSource<Response>(TaskCreationOptions.RunContinuationsAsynchronously);
        var late = Call(_ => answer.Task, retries: false);
        for (var i = 0; i < 20; i++)
        {
            await Call(Fails(new RpcException(RpcStatus.Internal, "overloaded")), retries: false);
        }

        Assert.Equal(0, (await Call(Succeeds())).Attempts);
        _time.Advance(new CircuitBreakerOptions().BreakDuration);
        answer.SetResult(Response.FromResult("late but fine"));
        Assert.Equal((null, 1), await late);

        var probe = await Call(Fails(new RpcException(RpcStatus.Internal, "still overloaded")), retries: false);
        var after = await Call(Succeeds());

        Assert.Equal((RpcStatus.Internal, 1), (probe.Failure!.Status, probe.Attempts));
        Assert.Equal(0, after.Attempts);
    }

    [Fact]
    public async Task CallerErrors_NeverOpenTheCircuit()
    {
        for (var i = 0; i < 50; i++)
        {
            await Call(Fails(new RpcException(RpcStatus.InvalidArgument, "bad")));
        }

        Assert.Equal(1, (await Call(Succeeds())).Attempts);
    }

    [Fact]
    public async Task SiloLeavingRejections_NeverOpenTheCircuit()
    {
        for (var i = 0; i < 50; i++)
        {
            await Call(Fails(new RpcException(RpcStatus.Unavailable, "silo stopping", notExecuted: true)), retries: false);
        }

        Assert.Equal(1, (await Call(Succeeds())).Attempts);
    }

    [Theory]
    [InlineData(RpcStatus.DeadlineExceeded, true)]
    [InlineData(RpcStatus.ResourceExhausted, true)]
    [InlineData(RpcStatus.Internal, true)]
    [InlineData(RpcStatus.Unavailable, false)]
    [InlineData(RpcStatus.Unknown, false)]
    [InlineData(RpcStatus.InvalidArgument, false)]
    [InlineData(RpcStatus.FailedPrecondition, false)]
    public void IsOverload_CountsOnlyOverloadStatuses(RpcStatus status, bool counted) =>
        Assert.Equal(counted, OverloadClassifier.IsOverload(new RpcException(status, "x")));

    [Fact]
    public void IsOverload_ATimeoutOnlyTheCallerSaw_DoesNotCount()
    {
        Assert.False(OverloadClassifier.IsOverload(new RpcException(RpcStatus.DeadlineExceeded, "attempt timed out") { ClientGenerated = true }));
        Assert.False(OverloadClassifier.IsOverload(RpcStatusMapper.ToRpcException(new TimeoutException("Response did not arrive on time"))));
    }

    [Fact]
    public void IsOverload_OneGrainsOwnLimit_DoesNotCount()
    {
        var quota = new RpcException(RpcStatus.ResourceExhausted, "grain holds 2,000 records")
        {
            Metadata = new Dictionary<string, string> { [RpcException.QuotaKey] = "Idempotency:RecordLimit" },
        };

        Assert.False(OverloadClassifier.IsOverload(quota));
        Assert.True(OverloadClassifier.IsOverload(new RpcException(RpcStatus.ResourceExhausted, "silo at its cap")));
    }

    [Fact]
    public void IsOverload_ASiloSheddingWithPushback_DoesNotCount_ButResourceExhaustedWithoutItDoes()
    {
        // What a silo at its adaptive limit answers: it is serving at its capacity, and says when to come back.
        var gate = new ClientCallGate(Options.Create(new ReliableRpcOptions()), NullLogger<ClientCallGate>.Instance, TimeProvider.System);
        Assert.False(OverloadClassifier.IsOverload(gate.Refusal("IBottleneckGrain.Serve")));

        // Orleans' own overload refusals carry a RetryAfter too, and still count.
        Assert.True(OverloadClassifier.IsOverload(RpcStatusMapper.ToRpcException(new LimitExceededException("MaxEnqueuedRequestsHardLimit", 5001, 5000, "activation"))));
        Assert.True(OverloadClassifier.IsOverload(RpcStatusMapper.ToRpcException(new GatewayTooBusyException())));
    }

    [Fact]
    public void IsOverload_IgnoresSuccessAndBrakes()
    {
        Assert.False(OverloadClassifier.IsOverload(null));
        Assert.False(OverloadClassifier.IsOverload(new RpcException(RpcStatus.ResourceExhausted, "budget") { IsBrake = true }));
    }
}
