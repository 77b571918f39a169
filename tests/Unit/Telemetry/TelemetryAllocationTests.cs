using ReliableRpc.Telemetry.Internal;

namespace ReliableRpc.Tests.Unit.Telemetry;

/// <summary>
/// With nobody listening, the pipeline's telemetry must cost no allocation per call: spans are not created and
/// measurements go nowhere. Counted in bytes on this thread (deterministic), not timed.
/// </summary>
public class TelemetryAllocationTests
{
    [Fact]
    public void EveryPerCallRecording_WithNoListener_AllocatesNothing()
    {
        RecordOneCall(); // warm up: statics, JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            RecordOneCall();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>What the pipeline records for one logical call with one attempt.</summary>
    private static void RecordOneCall()
    {
        using var logical = ReliableRpcActivities.StartLogicalCall("IAccountGrain/Deposit", "IAccountGrain", "Deposit", TimeSpan.FromSeconds(10), safeToRepeat: true);
        using var attempt = ReliableRpcActivities.StartAttempt("IAccountGrain", "Deposit", 1, TimeSpan.Zero);
        ReliableRpcActivities.End(attempt, null);
        ReliableRpcActivities.End(logical, null);
        var outcome = ReliableRpcMeter.Outcome("IAccountGrain", "Deposit", nameof(RpcStatus.OK));
        ReliableRpcMeter.CallDuration.Record(0.003, outcome);
        ReliableRpcMeter.DeadlineFraction.Record(0.0003, outcome);
        ReliableRpcMeter.Calls.Add(1, ReliableRpcMeter.Method("IAccountGrain", "Deposit"));
        ReliableRpcMeter.Attempts.Add(1, ReliableRpcMeter.Method("IAccountGrain", "Deposit"));
        ReliableRpcMeter.Retries.Add(1, ReliableRpcMeter.ServiceAnd("IAccountGrain", "reason", "transparent"));
        ReliableRpcMeter.Shed.Add(1, ReliableRpcMeter.Service("IAccountGrain"));
    }
}
