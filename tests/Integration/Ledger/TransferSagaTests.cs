using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;
using ReliableRpc.Client.Ledger;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.Integration.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.Integration.Ledger;

/// <summary>Transfers that crash mid-way, are refused for good, or have every message delivered twice.</summary>
public sealed class TransferSagaTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterFixture.StartAsync(2, new Dictionary<string, string>
    {
        ["Ledger:Transfers:ResumeAfter"] = "00:00:02",
        ["Ledger:Transfers:ReminderPeriod"] = "00:00:02",

        // A caller that tries once and goes away.
        ["ReliableRpc:Retries:Profiles:once:MaxAttempts"] = "1",
    });

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private IAccountGrain Account(string name) => _cluster.Client.GetGrain<IAccountGrain>($"{_run}-{name}");

    [Theory]
    [InlineData(TransferStep.AfterIntent)]
    [InlineData(TransferStep.AfterDebit)]
    [InlineData(TransferStep.AfterCredit)]
    public async Task CrashAtAStep_WithTheCallerGone_TransferStillCompletesAndReconciles(TransferStep step)
    {
        var id = $"{_run}-crash-{step}";
        foreach (var silo in _cluster.Silos.Cast<InProcessSiloHandle>())
        {
            silo.SiloHost.Services.GetRequiredService<TransferFaults>().CrashOnceAfter(id, step);
        }

        await Account("from").Deposit(100).WaitAsync(Timeout);
        var request = new TransferRequest($"{_run}-from", $"{_run}-to", 40);

        // The call dies with the crash, and its caller goes away: nobody repeats it.
        RpcException crashed;
        using (RpcCall.RetryProfile("once"))
        {
            crashed = await Assert.ThrowsAsync<RpcException>(() => _cluster.Client.GetGrain<ITransferGrain>(id).Execute(request).WaitAsync(Timeout));
        }

        Assert.Equal(RpcStatus.Unknown, crashed.Status);

        // Only the reminder can finish it; watch its stored state, not the grain (a call would reactivate it).
        var serializer = _cluster.Silos.Cast<InProcessSiloHandle>().First().SiloHost.Services.GetRequiredService<Serializer>();
        await Eventually.True(
            () => Task.FromResult(SharedGrainStorage.Stored<TransferRecord>(id, serializer)?.Status == TransferStatus.Completed),
            "the reminder finished the transfer", TimeSpan.FromSeconds(30));
        var audit = await LedgerAudit.RunAsync(_cluster.Client, [$"{_run}-from", $"{_run}-to"], new Dictionary<string, TransferRequest> { [id] = request }, CancellationToken.None);

        Assert.True(audit.Reconciles, string.Join("; ", audit.Discrepancies));
        Assert.Equal((1, 0, 100L), (audit.Completed, audit.Resumed, audit.TotalMoney));
        Assert.Equal(60, await Account("from").GetBalance().WaitAsync(Timeout));
    }

    [Fact]
    public async Task CreditRefusedForGood_DebitIsRefundedExactlyOnce()
    {
        await Account("payer").Deposit(100).WaitAsync(Timeout);
        await Account("frozen").SetFrozen(true).WaitAsync(Timeout);
        var request = new TransferRequest($"{_run}-payer", $"{_run}-frozen", 25);
        var transfer = _cluster.Client.GetGrain<ITransferGrain>($"{_run}-refused");

        var state = await transfer.Execute(request).WaitAsync(Timeout);
        var again = await transfer.Execute(request).WaitAsync(Timeout);

        Assert.Equal(TransferStatus.Failed, state.Status);
        Assert.True(state.DebitRefunded);
        Assert.Contains("frozen", state.FailureReason);
        Assert.Equal(state, again);
        var payer = await Account("payer").GetStatement().WaitAsync(Timeout);
        Assert.Equal(100, payer.Balance);
        Assert.Equal((25L, 25L), (payer.TransfersIn, payer.TransfersOut));
        // Failed and stored, the transfer had the payer forget its debit and refund; the totals show each applied once.
        Assert.Empty(payer.AppliedLegs);
        Assert.Equal(0, (await Account("frozen").GetStatement().WaitAsync(Timeout)).TransfersIn);
    }

    /// <summary>
    /// Issue 23: accounts kept leg ids by count, so a busy one could apply a late repeat twice. Now they keep them
    /// until the transfer, final and stored, tells them to forget; a repeated Execute after that sends no leg.
    /// </summary>
    [Fact]
    public async Task CompletedTransfer_AccountsForgetItsLegs_AndARepeatMovesNothing()
    {
        await Account("src").Deposit(100).WaitAsync(Timeout);
        var request = new TransferRequest($"{_run}-src", $"{_run}-dst", 10);
        var transfer = _cluster.Client.GetGrain<ITransferGrain>($"{_run}-forget");

        var state = await transfer.Execute(request).WaitAsync(Timeout);
        var src = await Account("src").GetStatement().WaitAsync(Timeout);
        var dst = await Account("dst").GetStatement().WaitAsync(Timeout);
        var again = await transfer.Execute(request).WaitAsync(Timeout);

        Assert.Equal(TransferStatus.Completed, state.Status);
        Assert.Equal(state, again);
        Assert.Empty(src.AppliedLegs);
        Assert.Empty(dst.AppliedLegs);
        Assert.Equal((90L, 10L), (await Account("src").GetBalance().WaitAsync(Timeout), await Account("dst").GetBalance().WaitAsync(Timeout)));
        var reminders = _cluster.Silos.Cast<InProcessSiloHandle>().First().SiloHost.Services.GetRequiredService<IReminderTable>();
        Assert.Empty((await reminders.ReadRows(transfer.GetGrainId()).WaitAsync(Timeout)).Reminders);
    }

    /// <summary>
    /// Issue 23, found by the chaos run with forgetting: a stale activation of a transfer (on a silo frozen and declared
    /// dead, which wakes before it learns so) still holds Pending or Debited and sends a leg after the live activation
    /// finished the transfer and had its legs forgotten. The account must not apply it.
    /// </summary>
    [Theory]
    [InlineData(TransferLegKind.Debit)]
    [InlineData(TransferLegKind.Credit)]
    public async Task LegSentByAStaleActivationAfterTheForget_IsNotApplied(TransferLegKind kind)
    {
        await Account("payer2").Deposit(100).WaitAsync(Timeout);
        var id = $"{_run}-stale-{kind}";
        var request = new TransferRequest($"{_run}-payer2", $"{_run}-payee2", 10);
        Assert.Equal(TransferStatus.Completed, (await _cluster.Client.GetGrain<ITransferGrain>(id).Execute(request).WaitAsync(Timeout)).Status);

        var account = Account(kind == TransferLegKind.Debit ? "payer2" : "payee2");
        await Assert.ThrowsAsync<RpcException>(() => account.ApplyTransferLeg(new TransferLeg(id, kind, 10)).WaitAsync(Timeout));

        Assert.Equal((90L, 10L), (await Account("payer2").GetBalance().WaitAsync(Timeout), await Account("payee2").GetBalance().WaitAsync(Timeout)));
    }

    /// <summary>
    /// Issue 23, finding 5: the credit is refused for good and the debit refunded, then the transfer loses its
    /// activation (a crash, or the write that would have said Failed) and the account thaws before the next reminder
    /// tick. The transfer must not then credit it: the refund already gave the money back.
    /// </summary>
    [Theory]
    [InlineData("crash after the refund")]
    [InlineData("finish write fails")]
    public async Task RefundFollowedByACredit_CreatesNoMoney(string loss)
    {
        var id = $"{_run}-refund-lost";
        if (loss == "crash after the refund")
        {
            foreach (var silo in _cluster.Silos.Cast<InProcessSiloHandle>())
            {
                silo.SiloHost.Services.GetRequiredService<TransferFaults>().CrashOnceAfter(id, TransferStep.AfterRefund);
            }
        }
        else
        {
            SharedGrainStorage.FailWriteWhere<TransferRecord>(id, r => r.Status == TransferStatus.Failed, SharedGrainStorage.WriteFault.BeforeCommit);
        }

        await Account("source").Deposit(100).WaitAsync(Timeout);
        await Account("thawing").SetFrozen(true).WaitAsync(Timeout);
        var request = new TransferRequest($"{_run}-source", $"{_run}-thawing", 30);

        RpcException lost;
        using (RpcCall.RetryProfile("once"))
        {
            lost = await Assert.ThrowsAsync<RpcException>(() => _cluster.Client.GetGrain<ITransferGrain>(id).Execute(request).WaitAsync(Timeout));
        }

        Assert.Equal(RpcStatus.Unknown, lost.Status);
        Assert.Equal(100, await Account("source").GetBalance().WaitAsync(Timeout));

        // Thawed before the reminder's first tick (2 s after the call): only what the transfer stored decides now.
        await Account("thawing").SetFrozen(false).WaitAsync(Timeout);
        var serializer = _cluster.Silos.Cast<InProcessSiloHandle>().First().SiloHost.Services.GetRequiredService<Serializer>();
        await Eventually.True(
            () => Task.FromResult(SharedGrainStorage.Stored<TransferRecord>(id, serializer)?.Status is TransferStatus.Completed or TransferStatus.Failed),
            "the reminder finished the transfer", TimeSpan.FromSeconds(30));
        var audit = await LedgerAudit.RunAsync(_cluster.Client, [$"{_run}-source", $"{_run}-thawing"], new Dictionary<string, TransferRequest> { [id] = request }, CancellationToken.None);
        var stored = SharedGrainStorage.Stored<TransferRecord>(id, serializer)!;

        Assert.Equal(
            (TransferStatus.Failed, true, 0L, 100L),
            (stored.Status, stored.DebitRefunded, await Account("thawing").GetBalance().WaitAsync(Timeout), audit.TotalMoney));
        Assert.True(audit.Reconciles, string.Join("; ", audit.Discrepancies));
    }

    /// <summary>
    /// Issue 23, finding 6: the reminder is registered before the intent is written; when that write fails, nothing
    /// is stored, and the reminder must not tick for ever on a transfer that does not exist.
    /// </summary>
    [Fact]
    public async Task IntentWriteFails_TheReminderDoesNotLeak()
    {
        var id = $"{_run}-intent-lost";
        SharedGrainStorage.FailNextWrite(id, SharedGrainStorage.WriteFault.BeforeCommit);
        await Account("keeper").Deposit(100).WaitAsync(Timeout);
        var request = new TransferRequest($"{_run}-keeper", $"{_run}-nobody", 30);
        var transfer = _cluster.Client.GetGrain<ITransferGrain>(id);

        RpcException lost;
        using (RpcCall.RetryProfile("once"))
        {
            lost = await Assert.ThrowsAsync<RpcException>(() => transfer.Execute(request).WaitAsync(Timeout));
        }

        Assert.Equal(RpcStatus.Unknown, lost.Status);

        // The reminder table itself, not the grain: a call would activate it, and the question is what the ticks do.
        var reminders = _cluster.Silos.Cast<InProcessSiloHandle>().First().SiloHost.Services.GetRequiredService<IReminderTable>();
        Assert.NotEmpty((await reminders.ReadRows(transfer.GetGrainId()).WaitAsync(Timeout)).Reminders);
        await Eventually.True(
            async () => (await reminders.ReadRows(transfer.GetGrainId())).Reminders.Count == 0,
            "a tick that found no intent removed the reminder", TimeSpan.FromSeconds(10));

        var serializer = _cluster.Silos.Cast<InProcessSiloHandle>().First().SiloHost.Services.GetRequiredService<Serializer>();
        Assert.Null(SharedGrainStorage.Stored<TransferRecord>(id, serializer));
        Assert.Equal(100, await Account("keeper").GetBalance().WaitAsync(Timeout));
        Assert.Equal(0, await Account("nobody").GetBalance().WaitAsync(Timeout));
    }
}

/// <summary>A thousand transfers with every message of the ledger delivered twice, client and silo side.</summary>
public sealed class DuplicateDeliveryTransferTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Transfers_WithEveryMessageDeliveredTwice_AreEachAppliedExactlyOnce()
    {
        var cluster = await ClusterFixture.StartAsync(2, new Dictionary<string, string> { [MessageFaultFilter.Setting] = nameof(MessageFault.DeliverTwice) });
        try
        {
            var ledger = new LedgerWorkload(cluster.Client, $"dup-{Guid.NewGuid():N}"[..12], accounts: 50, openingBalance: 1_000, seed: 3);
            await ledger.OpenAccountsAsync(concurrency: 10, CancellationToken.None);

            await Parallel.ForEachAsync(Enumerable.Range(0, 1_000), new ParallelOptions { MaxDegreeOfParallelism = 20 },
                async (n, ct) => await ledger.TransferAsync(n, ct));

            var audit = await LedgerAudit.RunAsync(cluster.Client, ledger.AccountIds, ledger.Transfers, CancellationToken.None);
            output.WriteLine($"1,000 transfers, {MessageFaultFilter.InjectedFor(ledger.RunId)} duplicate deliveries; {audit.Completed} completed, {audit.Failed} failed");

            Assert.True(MessageFaultFilter.InjectedFor(ledger.RunId) >= 3_000, "every transfer and both its legs were delivered twice");
            Assert.True(audit.Reconciles, string.Join("; ", audit.Discrepancies.Take(5)));
            Assert.Equal(1_000, audit.Completed + audit.Failed);
            Assert.Equal(50 * 1_000, audit.TotalMoney);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
