using ReliableRpc.Client.Ledger;
using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Tests.Unit.Client;

public class LedgerAuditTests
{
    private static readonly TransferRequest AToB = new("a", "b", 30);
    private static readonly Dictionary<string, TransferRequest> Transfers = new() { ["t1"] = AToB };

    private static AccountStatement Account(string id, long deposited, long @in, long @out, params TransferLeg[] legs) =>
        new(id, deposited + @in - @out, deposited, 0, legs, @in, @out, Frozen: false);

    private static Dictionary<string, TransferState> States(TransferStatus status, bool refunded = false) =>
        new() { ["t1"] = new TransferState("t1", status, AToB, null, refunded) };

    [Fact]
    public void Reconcile_CompletedTransferOnBothSides_Reconciles()
    {
        var audit = LedgerAudit.Reconcile(
            [Account("a", 100, 0, 30, new TransferLeg("t1", TransferLegKind.Debit, 30)), Account("b", 0, 30, 0, new TransferLeg("t1", TransferLegKind.Credit, 30))],
            Transfers, States(TransferStatus.Completed));

        Assert.True(audit.Reconciles, string.Join("; ", audit.Discrepancies));
        Assert.Equal(100, audit.TotalMoney);
    }

    [Fact]
    public void Reconcile_TransferAppliedTwiceOnOneAccount_IsCaughtThoughTheBalanceLooksConsistent()
    {
        // b was credited twice: its balance agrees with its own totals, and money "appeared". Only the
        // comparison with what the final transfers say can see it.
        var audit = LedgerAudit.Reconcile(
            [Account("a", 100, 0, 30, new TransferLeg("t1", TransferLegKind.Debit, 30)), Account("b", 0, 60, 0, new TransferLeg("t1", TransferLegKind.Credit, 30))],
            Transfers, States(TransferStatus.Completed));

        Assert.False(audit.Reconciles);
        Assert.Contains(audit.Discrepancies, d => d.Contains("account b") && d.Contains("60/0"));
    }

    [Fact]
    public void Reconcile_DebitedTwiceAndCreditedTwice_ConservesMoneyButIsCaught()
    {
        var audit = LedgerAudit.Reconcile(
            [Account("a", 100, 0, 60), Account("b", 0, 60, 0)],
            Transfers, States(TransferStatus.Completed));

        Assert.Equal(100, audit.TotalMoney);
        Assert.Equal(2, audit.Discrepancies.Count);
    }

    [Fact]
    public void Reconcile_TransferAcknowledgedAsCompletedThatEndedRefunded_IsCaught()
    {
        // The accounts agree with the final state; only what the caller was told contradicts it.
        var audit = LedgerAudit.Reconcile(
            [Account("a", 100, 30, 30, new TransferLeg("t1", TransferLegKind.Debit, 30), new TransferLeg("t1", TransferLegKind.Refund, 30)), Account("b", 0, 0, 0)],
            Transfers, States(TransferStatus.Failed, refunded: true), new Dictionary<string, TransferStatus> { ["t1"] = TransferStatus.Completed });

        Assert.Equal(["transfer t1 was acknowledged as Completed but ended Failed"], audit.Discrepancies);
    }

    [Fact]
    public void Reconcile_RefundedTransfer_ReconcilesWithOutAndBackOnTheSource()
    {
        var audit = LedgerAudit.Reconcile(
            [Account("a", 100, 30, 30, new TransferLeg("t1", TransferLegKind.Debit, 30), new TransferLeg("t1", TransferLegKind.Refund, 30)), Account("b", 0, 0, 0)],
            Transfers, States(TransferStatus.Failed, refunded: true));

        Assert.True(audit.Reconciles, string.Join("; ", audit.Discrepancies));
    }

    [Fact]
    public void Reconcile_UnfinishedTransferOrBalanceOffItsTotals_AreCaught()
    {
        var broken = Account("a", 100, 0, 0) with { Balance = 99 };
        var audit = LedgerAudit.Reconcile([broken, Account("b", 0, 0, 0)], Transfers, States(TransferStatus.Debited));

        Assert.Contains(audit.Discrepancies, d => d.Contains("did not reach a final state"));
        Assert.Contains(audit.Discrepancies, d => d.Contains("balance 99"));
    }

    [Fact]
    public void Reconcile_LegOfAnUnknownTransfer_IsCaught()
    {
        var audit = LedgerAudit.Reconcile(
            [Account("a", 100, 0, 30, new TransferLeg("t1", TransferLegKind.Debit, 30), new TransferLeg("ghost", TransferLegKind.Debit, 5)), Account("b", 0, 30, 0)],
            Transfers, States(TransferStatus.Completed));

        Assert.Contains(audit.Discrepancies, d => d.Contains("never requested"));
    }
}
