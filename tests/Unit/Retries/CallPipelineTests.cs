using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization.Invocation;
using ReliableRpc.Pipeline.Internal;
using ReliableRpc.Policies.Internal;
using ReliableRpc.Retries.Internal;
using ReliableRpc.Tests.Unit.Fakes;
using static ReliableRpc.Tests.Unit.Fakes.ScriptedCallContext;

namespace ReliableRpc.Tests.Unit.Retries;

/// <summary>The retry loop on a fake clock: attempts, waits and deadlines without sleeping.</summary>
public class CallPipelineTests
{
    private static readonly RpcException Unavailable = new(RpcStatus.Unavailable, "silo died with the call in flight");
    private static readonly RpcException Rejected = new(RpcStatus.Unavailable, "silo stopping", notExecuted: true);

    private readonly FakeTimeProvider _time = new();
    private readonly ReliableRpcOptions _rpc = new() { Retries = new RetryOptions { JitterSeed = 7 } };

    private RetryOptions Retries => _rpc.Retries;

    private RetryBudgetOptions BudgetOptions { get; set; } = new() { MinRetriesPerSecond = 1_000, MaxSaved = 1_000 };

    private TimeSpan? GatewayFlapsEvery { get; set; }

    private static MethodPolicy Policy(bool idempotent) =>
        new(false, "IFakeGrain", "Echo", idempotent, TimeSpan.FromSeconds(10), cancellationTokenIndex: 1);

    private async Task<(RpcException? Failure, ScriptedCallContext Context)> Run(
        bool idempotent, params Func<CancellationToken, Task<Response>>[] script) =>
        await Run(idempotent, TimeSpan.FromSeconds(10), isEdge: true, RetryProfile.CreateInteractive(), script);

    private Task<(RpcException? Failure, ScriptedCallContext Context)> Run(
        bool idempotent, TimeSpan timeout, bool isEdge, RetryProfile profile, params Func<CancellationToken, Task<Response>>[] script) =>
        Run(idempotent, timeout, isEdge, profile, gatewayLostAt: null, script);

    /// <summary>
    /// Runs the script; when <paramref name="gatewayLostAt"/> is set, the client loses a gateway at that time, and again
    /// every <see cref="GatewayFlapsEvery"/> when that is set (a gateway that flaps).
    /// </summary>
    private async Task<(RpcException? Failure, ScriptedCallContext Context)> Run(
        bool idempotent, TimeSpan timeout, bool isEdge, RetryProfile profile, TimeSpan? gatewayLostAt, params Func<CancellationToken, Task<Response>>[] script)
    {
        var context = new ScriptedCallContext(_time, script);
        var budget = new RetryBudget(BudgetOptions, _time);
        var pipeline = new CallPipeline(_rpc, budget, new JitterSource(7), _time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, ScriptedCallContext.Retries);
        var gatewayLoss = new GatewayLossSignal();
        var call = new CallExecution(context, Policy(idempotent), profile, isEdge, retriesEnabled: true, timeout, _time);
        if (call.IsSafeToRepeat)
        {
            call.GatewayLoss = gatewayLoss;
        }

        var started = _time.GetTimestamp();
        var execution = pipeline.ExecuteAsync(call);

        // Let the fake clock run until the call ends (bounded: a broken loop fails instead of hanging).
        // Each step gives the call's continuations a real millisecond to run before the clock moves on.
        for (var step = 0; !execution.IsCompleted && step < 20_000; step++)
        {
            await Task.Delay(1);
            _time.Advance(TimeSpan.FromMilliseconds(5));
            if (gatewayLostAt is { } at && _time.GetElapsedTime(started) >= at)
            {
                gatewayLostAt = at + GatewayFlapsEvery;
                gatewayLoss.Signal();
            }
        }

        Assert.True(execution.IsCompleted, "the call did not end on the fake clock");
        await execution;
        return (call.Failure, context);
    }

    [Fact]
    public async Task Idempotent_FailingWithUnknownOutcome_StopsAfterFourAttempts()
    {
        var (failure, context) = await Run(idempotent: true, Fails(Unavailable));

        Assert.Equal(4, context.Attempts);
        Assert.Equal(RpcStatus.Unavailable, failure!.Status);
    }

    [Fact]
    public async Task NotIdempotent_FailingWithUnknown_RunsOnceAndReturnsUnknown()
    {
        var (failure, context) = await Run(idempotent: false, Fails(new RpcException(RpcStatus.Unknown, "outcome unknown")));

        Assert.Equal(1, context.Attempts);
        Assert.Equal(RpcStatus.Unknown, failure!.Status);
    }

    [Fact]
    public async Task NotIdempotent_NotExecutedRejections_AreRetriedTransparentlyBeyondTheAttemptLimit()
    {
        var (failure, context) = await Run(idempotent: false,
            Fails(Rejected), Fails(Rejected), Fails(Rejected), Fails(Rejected), Fails(Rejected), Fails(Rejected), Succeeds());

        Assert.Null(failure);
        Assert.Equal(7, context.Attempts);
    }

    [Fact]
    public async Task RefusalWithPushback_IsChargedToTheBudget_NotRetriedFreelyUntilTheDeadline()
    {
        // A silo's storage gate refuses before the method runs (Unavailable, NotExecuted) and asks the caller to wait:
        // a dependency asking for less load, not a dead silo's refusal. With an empty budget the first refusal ends
        // the call; as a free transparent retry it was re-sent every second until the deadline (RedisOutageTests).
        var storageGate = new RpcException(RpcStatus.Unavailable, "storage gate open", notExecuted: true, retryAfter: TimeSpan.FromSeconds(1));
        BudgetOptions = new RetryBudgetOptions { Ratio = 0, MinRetriesPerSecond = 0, MaxSaved = 0 };
        var (failure, context) = await Run(idempotent: true, Fails(storageGate), Fails(storageGate), Succeeds());

        Assert.Equal(1, context.Attempts);
        Assert.Equal(RpcStatus.Unavailable, failure!.Status);
        Assert.True(failure.NotExecuted);
    }

    [Fact]
    public async Task RefusalsWithPushback_SpendAttempts()
    {
        var storageGate = new RpcException(RpcStatus.Unavailable, "storage gate open", notExecuted: true, retryAfter: TimeSpan.FromSeconds(1));
        var (failure, context) = await Run(idempotent: true, Fails(storageGate), Fails(storageGate), Fails(storageGate), Fails(storageGate), Fails(storageGate), Succeeds());

        Assert.Equal(RetryProfile.CreateInteractive().MaxAttempts, context.Attempts);
        Assert.Equal(RpcStatus.Unavailable, failure!.Status);
    }

    [Fact]
    public async Task LogicalCall_WhoseEarlierAttemptMayHaveRun_IsNotNotExecuted_WhenItsLastAttemptWasRefused()
    {
        // Issue 23, finding 3: attempt 1 is ended at its attempt timeout (it may be running), attempt 2 is refused
        // before it ran ("silo stopping"), and so are the rest: the caller was told NotExecuted = true.
        var (failure, context) = await Run(idempotent: true, Hangs(), Fails(Rejected));

        Assert.True(context.Attempts >= 2);
        Assert.True(failure!.NotExecuted is false, $"told NotExecuted after {context.Attempts} attempts: {failure.Message}");
    }

    [Fact]
    public async Task Idempotent_MethodThatStartedAndMetAnUnreachableSilo_IsRetriedBeyondTheAttemptLimit()
    {
        // Marked executed (issue 23, finding 2), such a failure is no longer transparent; like one, it says nothing of
        // load, so the deadline bounds it rather than the 4 attempts a killed silo's ~2 s to be declared dead spends.
        var unreachable = new RpcException(RpcStatus.Unavailable, "refused on the way to a dead silo", innerException: new Orleans.Runtime.SiloUnavailableException());
        BudgetOptions = new RetryBudgetOptions { Ratio = 0, MinRetriesPerSecond = 0, MaxSaved = 0 };
        var (failure, context) = await Run(idempotent: true,
            Fails(unreachable), Fails(unreachable), Fails(unreachable), Fails(unreachable), Fails(unreachable), Fails(unreachable), Succeeds());

        Assert.Null(failure);
        Assert.Equal(7, context.Attempts);
    }

    [Fact]
    public async Task LogicalCall_WhoseEveryAttemptWasRefused_IsNotExecuted()
    {
        var (failure, _) = await Run(idempotent: false, Fails(Rejected));

        Assert.True(failure!.NotExecuted);
    }

    [Fact]
    public async Task Retries_ResendTheCallersArgumentsAfterTheRequestWasReset()
    {
        var (failure, context) = await Run(idempotent: true, Fails(Unavailable), Fails(Rejected), Succeeds());

        Assert.Null(failure);
        Assert.Equal(["payload", "payload", "payload"], context.PayloadsSeen);
    }

    [Fact]
    public async Task Waits_GrowWithinTheFullJitterBounds()
    {
        var (_, context) = await Run(idempotent: true, Fails(Unavailable));

        var profile = RetryProfile.CreateInteractive();
        for (var retry = 1; retry < context.Attempts; retry++)
        {
            var wait = context.AttemptStarts[retry] - context.AttemptStarts[retry - 1];
            Assert.InRange(wait, TimeSpan.Zero, FullJitterBackoff.Ceiling(retry, profile) + TimeSpan.FromMilliseconds(10));
        }
    }

    [Fact]
    public async Task Deadline_NoAttemptStartsAfterIt()
    {
        var timeout = TimeSpan.FromMilliseconds(400);
        var (failure, context) = await Run(idempotent: false, timeout, isEdge: true, RetryProfile.CreateInteractive(), Fails(Rejected));

        Assert.NotNull(failure);
        Assert.True(context.Attempts > 1, "transparent retries happened");
        Assert.All(context.AttemptStarts, start => Assert.True(start <= timeout - Retries.MinAttemptBudget, $"attempt at {start}"));
    }

    [Fact]
    public async Task AttemptTimeout_AHangingAttemptOfASafeCall_IsCutAndRetried()
    {
        Retries.AttemptTimeout = TimeSpan.FromSeconds(1);
        var (failure, context) = await Run(idempotent: true, TimeSpan.FromSeconds(10), isEdge: true, RetryProfile.CreateInteractive(), Hangs(), Succeeds());

        Assert.True(failure is null, $"{failure} after {context.Attempts} attempts at {string.Join(",", context.AttemptStarts)}");
        Assert.Equal(2, context.Attempts);
        Assert.InRange(context.AttemptStarts[1], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.1));
    }

    [Fact]
    public async Task AttemptTimeouts_OfASafeCall_AreBoundedByTheDeadline_NotByTheAttemptCount()
    {
        // A frozen silo answers nothing until it is declared dead: six 1 s timeouts, then an answer elsewhere.
        Retries.AttemptTimeout = TimeSpan.FromSeconds(1);
        var (failure, context) = await Run(idempotent: true, TimeSpan.FromSeconds(10), isEdge: true, RetryProfile.CreateInteractive(),
            Hangs(), Hangs(), Hangs(), Hangs(), Hangs(), Hangs(), Succeeds());

        Assert.True(failure is null, $"{failure} after {context.Attempts} attempts");
        Assert.Equal(7, context.Attempts);
    }

    [Fact]
    public async Task GatewayLoss_EndsAHangingAttemptOfASafeCall_WhichIsRetriedWithoutWaitingForItsTimeout()
    {
        // The attempt went through a gateway the client just dropped: no answer will come, whatever the timeout says.
        Retries.AttemptTimeout = TimeSpan.FromSeconds(3);
        var (failure, context) = await Run(idempotent: true, TimeSpan.FromSeconds(10), isEdge: true, RetryProfile.CreateInteractive(),
            gatewayLostAt: TimeSpan.FromMilliseconds(500), Hangs(), Succeeds());

        Assert.True(failure is null, $"{failure} after {context.Attempts} attempts");
        Assert.Equal(2, context.Attempts);
        Assert.InRange(context.AttemptStarts[1], TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task GatewayLoss_RetriesAreNotChargedToTheBudget()
    {
        // An empty budget refuses every counted retry; the attempts a lost gateway ended are a burst, not an outage.
        BudgetOptions = new RetryBudgetOptions { Ratio = 0, MinRetriesPerSecond = 0, MaxSaved = 0 };
        var (failure, context) = await Run(idempotent: true, TimeSpan.FromSeconds(10), isEdge: true, RetryProfile.CreateInteractive(),
            gatewayLostAt: TimeSpan.FromMilliseconds(500), Hangs(), Succeeds());

        Assert.True(failure is null, $"{failure} after {context.Attempts} attempts");
        Assert.Equal(2, context.Attempts);
    }

    [Fact]
    public async Task GatewayThatFlaps_EndsACallsAttemptsFreeOfChargeOnlyOnce()
    {
        // Issue 23: every loss ended every safe attempt in flight, and none of those retries counted toward the attempts
        // or the budget, so a gateway that flapped every 200 ms re-sent a hanging call until its deadline. The first
        // loss is free; later ones count as the failures they are.
        GatewayFlapsEvery = TimeSpan.FromMilliseconds(200);
        var (failure, context) = await Run(idempotent: true, TimeSpan.FromSeconds(10), isEdge: true, RetryProfile.CreateInteractive(),
            gatewayLostAt: TimeSpan.FromMilliseconds(200), Hangs());

        Assert.Equal(RpcStatus.Unavailable, failure!.Status);
        Assert.Equal(1 + RetryProfile.CreateInteractive().MaxAttempts, context.Attempts);
    }

    [Fact]
    public async Task GatewayThatFlaps_ChargesItsLaterRetriesToTheBudget()
    {
        BudgetOptions = new RetryBudgetOptions { Ratio = 0, MinRetriesPerSecond = 0, MaxSaved = 0 };
        GatewayFlapsEvery = TimeSpan.FromMilliseconds(200);
        var (failure, context) = await Run(idempotent: true, TimeSpan.FromSeconds(10), isEdge: true, RetryProfile.CreateInteractive(),
            gatewayLostAt: TimeSpan.FromMilliseconds(200), Hangs());

        Assert.Equal(RpcStatus.Unavailable, failure!.Status);
        Assert.Equal(2, context.Attempts);
    }

    [Fact]
    public async Task GatewayLoss_LeavesACallThatIsNotSafeToRepeat_Waiting()
    {
        // Ending it would not help: it cannot be sent again.
        var (failure, context) = await Run(idempotent: false, TimeSpan.FromSeconds(2), isEdge: true, RetryProfile.CreateInteractive(),
            gatewayLostAt: TimeSpan.FromMilliseconds(500), Hangs());

        Assert.Equal(RpcStatus.DeadlineExceeded, failure!.Status);
        Assert.Equal(1, context.Attempts);
    }

    [Fact]
    public async Task AttemptTimeouts_StillEndAtTheDeadline()
    {
        Retries.AttemptTimeout = TimeSpan.FromSeconds(1);
        var (failure, context) = await Run(idempotent: true, TimeSpan.FromSeconds(3.5), isEdge: true, RetryProfile.CreateInteractive(), Hangs());

        Assert.Equal(RpcStatus.DeadlineExceeded, failure!.Status);
        Assert.InRange(context.Attempts, 3, 4);
        Assert.StartsWith($"deadline of 3500 ms exceeded after {context.Attempts} attempts; the last: deadline of", failure.Detail);
        Assert.All(context.AttemptStarts, start => Assert.True(start <= TimeSpan.FromSeconds(3.5) - Retries.MinAttemptBudget, $"attempt at {start}"));
    }

    [Fact]
    public async Task AttemptTimeout_NotSafeToRepeat_GetsTheWholeDeadlineAndOneAttempt()
    {
        Retries.AttemptTimeout = TimeSpan.FromSeconds(1);
        var (failure, context) = await Run(idempotent: false, TimeSpan.FromSeconds(3), isEdge: true, RetryProfile.CreateInteractive(), Hangs());

        Assert.Equal(RpcStatus.DeadlineExceeded, failure!.Status);
        Assert.Equal(1, context.Attempts);
        Assert.True(_time.GetElapsedTime(context.StartTimestamp) >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Hop_NeverRepeatsAnExecution()
    {
        var (failure, context) = await Run(idempotent: true, TimeSpan.FromSeconds(10), isEdge: false, RetryProfile.CreateInteractive(), Fails(Unavailable), Succeeds());

        Assert.Equal(RpcStatus.Unavailable, failure!.Status);
        Assert.Equal(1, context.Attempts);
    }

    [Fact]
    public async Task Hop_ResendsARequestThatNeverArrived_ButNotAnOverloadRefusal()
    {
        var (resent, context) = await Run(idempotent: false, TimeSpan.FromSeconds(10), isEdge: false, RetryProfile.CreateInteractive(), Fails(Rejected), Succeeds());
        var shed = new RpcException(RpcStatus.ResourceExhausted, "shed", notExecuted: true, retryAfter: TimeSpan.FromMilliseconds(100));
        var (refused, shedContext) = await Run(idempotent: false, TimeSpan.FromSeconds(10), isEdge: false, RetryProfile.CreateInteractive(), Fails(shed), Succeeds());

        Assert.Null(resent);
        Assert.Equal(2, context.Attempts);
        Assert.Equal(RpcStatus.ResourceExhausted, refused!.Status);
        Assert.Equal(1, shedContext.Attempts);
    }

    [Fact]
    public async Task BatchProfile_AllowsEightAttempts()
    {
        var (_, context) = await Run(idempotent: true, TimeSpan.FromSeconds(30), isEdge: true, RetryProfile.CreateBatch(), Fails(Unavailable));

        Assert.Equal(8, context.Attempts);
    }

    [Fact]
    public async Task Pushback_NextAttemptWaitsForRetryAfter()
    {
        var shed = new RpcException(RpcStatus.ResourceExhausted, "shed", notExecuted: true, retryAfter: TimeSpan.FromMilliseconds(700));
        var (failure, context) = await Run(idempotent: false, Fails(shed), Succeeds());

        Assert.Null(failure);
        Assert.True(context.AttemptStarts[1] >= TimeSpan.FromMilliseconds(700), $"retried after {context.AttemptStarts[1]}");
    }

    [Fact]
    public async Task CallerErrors_AreNeverRetried()
    {
        var (failure, context) = await Run(idempotent: true, Fails(new RpcException(RpcStatus.InvalidArgument, "bad")));

        Assert.Equal(RpcStatus.InvalidArgument, failure!.Status);
        Assert.Equal(1, context.Attempts);
    }
}
