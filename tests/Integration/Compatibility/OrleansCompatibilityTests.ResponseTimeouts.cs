using System.Diagnostics;
using ReliableRpc.Tests.Integration.Compatibility.Grains;

namespace ReliableRpc.Tests.Integration.Compatibility;

public sealed partial class OrleansCompatibilityTests
{
    private static readonly TimeSpan ThreeSecondsOfWork = TimeSpan.FromSeconds(3);

    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/InMemoryDurableJobsTests.cs:
    // JobRetryWaitOverridesClientResponseTimeout ([ResponseTimeout] on IRetryTestGrain.WaitForJobToSucceed is longer
    // than the client's timeout, and is the call's timeout), here run end to end: 3 s of work under a 4 s
    // [ResponseTimeout] while the default is 2 s.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_ResponseTimeout_longer_than_the_default_lets_a_longer_call_succeed(bool pipeline)
    {
        var grain = Client(pipeline).GetGrain<ITimeoutGrain>(Guid.NewGuid());

        await Shown(pipeline, async () => Assert.Equal(ThreeSecondsOfWork, await grain.LongerTimeout(ThreeSecondsOfWork)));
    }

    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/EchoTaskGrainTests.cs: EchoGrain_Timeout_Await
    // (IEchoTaskGrain.BlockingCallTimeoutAsync has [ResponseTimeout("00:00:05")] and runs longer: TimeoutException
    // after the method's timeout, before the work is done), here with a [ResponseTimeout] shorter than the default.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_ResponseTimeout_shorter_than_the_default_ends_a_longer_call_with_TimeoutException(bool pipeline)
    {
        var grain = Client(pipeline).GetGrain<ITimeoutGrain>(Guid.NewGuid());
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<TimeoutException>(() => Shown(pipeline, () => grain.ShorterTimeout(ThreeSecondsOfWork)));

        Assert.True(clock.Elapsed < ThreeSecondsOfWork, $"the call failed after {clock.Elapsed}, not at its 1 s timeout");
    }

    // Mirrors dotnet/orleans test/Orleans.DefaultCluster.Tests/EchoTaskGrainTests.cs: EchoGrain_Timeout_ContinueWith
    // (BlockingCallTimeoutNoResponseTimeoutOverrideAsync: no [ResponseTimeout], the configured timeout ends it). With the
    // pipeline the default deadline, equal to plain's ResponseTimeout here, ends it (a documented difference in name only).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Without_ResponseTimeout_the_default_ends_a_longer_call_with_TimeoutException(bool pipeline)
    {
        var grain = Client(pipeline).GetGrain<ITimeoutGrain>(Guid.NewGuid());
        var clock = Stopwatch.StartNew();

        // 5 s of work: Orleans checks response timeouts periodically, so a 2 s timeout fires up to about a second late.
        var work = TimeSpan.FromSeconds(5);

        await Assert.ThrowsAnyAsync<TimeoutException>(() => Shown(pipeline, () => grain.DefaultTimeout(work)));

        Assert.True(clock.Elapsed < work - TimeSpan.FromSeconds(1), $"the call failed after {clock.Elapsed}, not at the 2 s default");
    }
}
