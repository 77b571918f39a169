using ReliableRpc.Grains.Ledger;

namespace ReliableRpc.Tests.Unit.Ledger;

public class AccountBookTests
{
    private readonly AccountState _state = new();

    private AccountBook Book => new(_state);

    [Fact]
    public void Deposit_PositiveAmount_AddsToBalanceAndTotal()
    {
        Assert.Equal(100, Book.Deposit(100));
        Assert.Equal(130, Book.Deposit(30));
        Assert.Equal(130, _state.Deposited);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void Deposit_ZeroOrNegative_ThrowsArgumentOutOfRange(long amount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Book.Deposit(amount));
        Assert.Equal(0, _state.Balance);
    }

    [Fact]
    public void Withdraw_MoreThanBalance_FailsWithFailedPreconditionAndChangesNothing()
    {
        Book.Deposit(50);
        var error = Assert.Throws<RpcException>(() => Book.Withdraw(51));
        Assert.Equal(RpcStatus.FailedPrecondition, error.Status);
        Assert.Contains("insufficient funds", error.Detail);
        Assert.Equal(50, _state.Balance);
        Assert.Equal(0, _state.Withdrawn);
    }

    [Fact]
    public void Withdraw_WholeBalance_LeavesZero()
    {
        Book.Deposit(50);
        Assert.Equal(0, Book.Withdraw(50));
        Assert.Equal(50, _state.Withdrawn);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-7)]
    public void Withdraw_ZeroOrNegative_ThrowsArgumentOutOfRange(long amount)
    {
        Book.Deposit(50);
        Assert.Throws<ArgumentOutOfRangeException>(() => Book.Withdraw(amount));
    }

    [Fact]
    public void ApplyLeg_SameLegTwice_AppliesOnce()
    {
        Book.Deposit(100);
        var debit = new TransferLeg("t1", TransferLegKind.Debit, 40);
        Assert.True(Book.ApplyLeg(debit));
        Assert.False(Book.ApplyLeg(debit));
        Assert.Equal(60, _state.Balance);
        Assert.Single(_state.AppliedLegs);
    }

    /// <summary>
    /// Issue 23: the account used to drop its oldest legs beyond 10,000, so a busy account applied a leg twice when the
    /// saga re-sent it late (a slow transfer, a reminder tick much later).
    /// </summary>
    [Fact]
    public void ApplyLeg_RepeatedAfterMoreThanTenThousandOtherLegs_AppliesOnce()
    {
        Book.Deposit(1_000_000);
        var first = new TransferLeg("t-first", TransferLegKind.Debit, 1);
        Assert.True(Book.ApplyLeg(first));
        for (var i = 0; i < 10_001; i++)
        {
            Book.ApplyLeg(new TransferLeg($"t-{i}", TransferLegKind.Credit, 1));
        }

        Assert.False(Book.ApplyLeg(first), "the first leg was applied twice");
        Assert.Equal((1L, 10_001L), (_state.TransfersOut, _state.TransfersIn));
    }

    [Fact]
    public void ForgetTransfer_RemovesEveryLegOfThatTransferOnly_AndAgainChangesNothing()
    {
        Book.Deposit(100);
        Book.ApplyLeg(new TransferLeg("t1", TransferLegKind.Debit, 40));
        Book.ApplyLeg(new TransferLeg("t1", TransferLegKind.Refund, 40));
        Book.ApplyLeg(new TransferLeg("t2", TransferLegKind.Credit, 5));

        Assert.True(Book.ForgetTransfer("t1"));
        Assert.False(Book.ForgetTransfer("t1"));
        Assert.Equal(["t2/Credit"], _state.AppliedLegs.Keys);
        Assert.Equal((105L, 45L, 40L), (_state.Balance, _state.TransfersIn, _state.TransfersOut));
    }

    [Fact]
    public void ForgetTransfer_StateStoredWithTheOldLegOrder_EmptiesIt()
    {
        _state.LegOrder.Enqueue("t0/Debit");

        Assert.True(Book.ForgetTransfer("t9"));
        Assert.Empty(_state.LegOrder);
    }

    [Fact]
    public void ApplyLeg_DebitBeyondBalance_FailsWithFailedPreconditionAndRecordsNothing()
    {
        Book.Deposit(10);
        var error = Assert.Throws<RpcException>(() => Book.ApplyLeg(new TransferLeg("t1", TransferLegKind.Debit, 11)));
        Assert.Equal(RpcStatus.FailedPrecondition, error.Status);
        Assert.Empty(_state.AppliedLegs);
        Assert.Equal(10, _state.Balance);
    }

    [Fact]
    public void ApplyLeg_SameLegIdWithOtherAmount_FailsWithInvalidArgument()
    {
        Book.Deposit(100);
        Book.ApplyLeg(new TransferLeg("t1", TransferLegKind.Debit, 40));
        var error = Assert.Throws<RpcException>(() => Book.ApplyLeg(new TransferLeg("t1", TransferLegKind.Debit, 41)));
        Assert.Equal(RpcStatus.InvalidArgument, error.Status);
        Assert.Equal(60, _state.Balance);
    }

    [Fact]
    public void ApplyLeg_CreditAndRefund_AddAndStatementExplainsBalance()
    {
        Book.Deposit(100);
        Book.Withdraw(10);
        Book.ApplyLeg(new TransferLeg("t1", TransferLegKind.Debit, 40));
        Book.ApplyLeg(new TransferLeg("t1", TransferLegKind.Refund, 40));
        Book.ApplyLeg(new TransferLeg("t2", TransferLegKind.Credit, 5));
        var statement = new AccountStatement("a", _state.Balance, _state.Deposited, _state.Withdrawn, _state.AppliedLegs.Values.ToList(), _state.TransfersIn, _state.TransfersOut, _state.Frozen);
        Assert.Equal(95, statement.Balance);
        Assert.Equal(statement.Balance, statement.ExpectedBalance);
    }
}
