using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Tests.Unit.Ledger;

public class TransferFaultsTests
{
    [Fact]
    public void CrashShareOfTransfers_EveryTransfer_CrashesOnceAtOneStep()
    {
        var faults = new TransferFaults();
        faults.CrashShareOfTransfers(1, seed: 7);

        var crashes = Enumerable.Range(0, 1_000)
            .SelectMany(n => Enum.GetValues<TransferStep>().Where(step => faults.ShouldCrash($"tx-{n}", step)).Select(_ => n))
            .ToList();

        Assert.Equal(Enumerable.Range(0, 1_000), crashes);
        Assert.All(Enum.GetValues<TransferStep>(), step => Assert.False(faults.ShouldCrash("tx-1", step)));
    }

    [Fact]
    public void CrashShareOfTransfers_SameSeed_PicksTheSameTransfersInEveryProcess()
    {
        var one = new TransferFaults();
        var other = new TransferFaults();
        one.CrashShareOfTransfers(0.1, seed: 3);
        other.CrashShareOfTransfers(0.1, seed: 3);

        var picked = Picks(one);

        Assert.Equal(picked, Picks(other));
        Assert.InRange(picked.Count, 700, 1_300);
    }

    [Fact]
    public void CrashShareOfTransfers_Zero_CrashesNothing()
    {
        var faults = new TransferFaults();
        faults.CrashShareOfTransfers(0, seed: 3);

        Assert.Empty(Picks(faults));
    }

    private static List<(int, TransferStep)> Picks(TransferFaults faults) =>
        Enumerable.Range(0, 10_000)
            .SelectMany(n => Enum.GetValues<TransferStep>().Where(step => faults.ShouldCrash($"tx-{n}", step)).Select(step => (n, step)))
            .ToList();
}
