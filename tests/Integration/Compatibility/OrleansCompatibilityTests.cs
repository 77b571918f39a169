using System.Diagnostics;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.Integration.Compatibility;

/// <summary>
/// Issue 24, Orleans transparency: each case runs on a plain Orleans cluster (pipeline false) and on one with
/// <c>AddReliableRpc</c> on silos and client (pipeline true), and expects the same observable behaviour. The only
/// allowed differences are the documented ones: the caller's own transport failures after retries become
/// <see cref="RpcException"/> with the Orleans exception inside; safe methods are retried; shed, circuit-open and size
/// refusals exist; CancelRequestOnTimeout is on and ResponseTimeout is raised to MaxDeadline + 2 s; the default
/// deadline ends calls that run longer (a <see cref="TimeoutException"/>). Each case names the dotnet/orleans test it
/// mirrors (paths as in dotnet/orleans main).
/// </summary>
[Collection(CompatibilityCollection.Name)]
public sealed partial class OrleansCompatibilityTests(CompatibilityFixture fixture, ITestOutputHelper output)
{
    /// <summary>A bound on any one call or wait, so a hang fails the case instead of the run.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private TestCluster Cluster(bool pipeline) => fixture.Cluster(pipeline);

    private IClusterClient Client(bool pipeline) => fixture.Cluster(pipeline).Client;

    private static string Name(bool pipeline) => pipeline ? "pipeline" : "plain";

    /// <summary>
    /// Awaits <paramref name="call"/> (bounded) and writes what it threw and when before rethrowing, so a failed
    /// assertion on the exception still shows what the cluster did.
    /// </summary>
    private async Task Shown(bool pipeline, Func<Task> call)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await call().WaitAsync(Bound);
            output.WriteLine($"{Name(pipeline)}: returned after {clock.ElapsedMilliseconds} ms");
        }
        catch (Exception exception)
        {
            output.WriteLine($"{Name(pipeline)}: after {clock.ElapsedMilliseconds} ms: {exception}");
            throw;
        }
    }
}
