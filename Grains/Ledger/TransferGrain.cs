using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;

namespace ReliableRpc.Grains.Ledger;

/// <summary>
/// Moves money between two accounts, as a saga that always finishes. It registers a reminder and stores the
/// intent before touching any account, and records each step before the next; the accounts apply each leg once
/// (by leg id, derived from the transfer id), so repeating a step is harmless. On every reminder tick, on
/// reactivation and on a repeated <see cref="Execute"/>, it drives the transfer on: to completed, or — when the
/// credit is refused for good — to failed with the debit refunded. The decision to refund is stored before the
/// refund, and a refunding transfer never credits. A transfer whose caller went away still finishes. Once its final
/// state is stored it sends no leg again, so it has its accounts forget its leg ids, and only then drops its reminder.
/// </summary>
[RandomPlacement]
public sealed partial class TransferGrain(
    [PersistentState(TransferGrain.StateName, LedgerStorage.Name)] IPersistentState<TransferRecord> transfer,
    IOptions<TransferOptions> options,
    TransferFaults faults,
    ILogger<TransferGrain> logger) : Grain, ITransferGrain, IRemindable
{
    /// <summary>The name of the transfer's persistent state; accounts read it to refuse legs of finished transfers.</summary>
    internal const string StateName = "transfer";

    private const string ReminderName = "drive";

    // True only when storage holds a final status: memory can say final after a write that failed (the activation is
    // on its way out), and forgetting legs then would let the stored, unfinished transfer apply a leg twice.
    private bool _finalStored;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _finalStored = transfer.State.Status is TransferStatus.Completed or TransferStatus.Failed;
        if (transfer.State.Status is TransferStatus.Pending or TransferStatus.Debited or TransferStatus.Refunding)
        {
            // Reactivated mid-way (after a crash, or a move to another silo): carry on at once, from a timer tick,
            // which is an edge and so may retry its calls.
            this.RegisterGrainTimer(DriveQuietlyAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<TransferState> Execute(TransferRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var record = transfer.State;
        if (record.Status == TransferStatus.None)
        {
            // The reminder first, so a stored intent always has something to drive it.
            await this.RegisterOrUpdateReminder(ReminderName, options.Value.ResumeAfter, options.Value.ReminderPeriod);
            record.Request = request;
            record.Status = TransferStatus.Pending;
            await this.WriteStateOrDeactivateAsync(transfer);
            CrashIfInjected(TransferStep.AfterIntent);
        }
        else if (record.Request != request)
        {
            throw new RpcException(RpcStatus.InvalidArgument,
                $"transfer id {this.GetPrimaryKeyString()} was already used for another request");
        }

        await DriveAsync(CancellationToken.None);
        return Snapshot();
    }

    /// <inheritdoc />
    public Task<TransferState> GetState(CancellationToken cancellationToken) => Task.FromResult(Snapshot());

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => DriveQuietlyAsync(CancellationToken.None);

    private async Task DriveQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DriveAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // The next reminder tick tries again.
            LogDriveFailed(logger, this.GetPrimaryKeyString(), transfer.State.Status, exception.Message);
        }
    }

    private async Task DriveAsync(CancellationToken cancellationToken)
    {
        var record = transfer.State;
        if (record.Status == TransferStatus.None && await this.GetReminder(ReminderName) is { } orphan)
        {
            // Only a reminder tick gets here: the intent write failed after the reminder was registered. Nothing is
            // stored to drive (a repeated Execute registers the reminder again), so it must not tick for ever.
            await this.UnregisterReminder(orphan);
            LogOrphanReminderRemoved(logger, this.GetPrimaryKeyString());
            return;
        }

        if (record.Status == TransferStatus.Pending)
        {
            await DebitAsync(record.Request!, cancellationToken);
        }

        if (record.Status == TransferStatus.Debited)
        {
            await CreditAsync(record.Request!, cancellationToken);
        }

        if (record.Status == TransferStatus.Refunding)
        {
            await RefundAsync(record.Request!, cancellationToken);
        }

        if (record.Status is TransferStatus.Completed or TransferStatus.Failed)
        {
            await ForgetLegsAsync(record, cancellationToken);
        }
    }

    /// <summary>
    /// Once the transfer is final and written, it sends no leg any more, so its accounts may forget its leg ids; the
    /// reminder stays until they did, so a forget lost to a failure is retried on the next tick.
    /// </summary>
    private async Task ForgetLegsAsync(TransferRecord record, CancellationToken cancellationToken)
    {
        if (!_finalStored)
        {
            return;
        }

        var reminder = await this.GetReminder(ReminderName);
        if (reminder is null)
        {
            // Forgotten before (the reminder goes last), or finished before accounts forgot legs: nothing left to do.
            return;
        }

        try
        {
            var request = record.Request!;
            if (record.Status == TransferStatus.Completed)
            {
                await Task.WhenAll(
                    GrainFactory.GetGrain<IAccountGrain>(request.FromAccount).ForgetTransferLegs(this.GetPrimaryKeyString(), cancellationToken),
                    GrainFactory.GetGrain<IAccountGrain>(request.ToAccount).ForgetTransferLegs(this.GetPrimaryKeyString(), cancellationToken));
            }
            else if (record.DebitRefunded)
            {
                // The credit was refused, so only the source holds legs (the debit and its refund).
                await GrainFactory.GetGrain<IAccountGrain>(request.FromAccount).ForgetTransferLegs(this.GetPrimaryKeyString(), cancellationToken);
            }

            await this.UnregisterReminder(reminder);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The outcome is final and stored; its caller must get it. The reminder forgets on its next tick.
            LogForgetFailed(logger, this.GetPrimaryKeyString(), record.Status, exception.Message);
        }
    }

    private async Task DebitAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        var from = GrainFactory.GetGrain<IAccountGrain>(request.FromAccount);
        try
        {
            await from.ApplyTransferLeg(Leg(TransferLegKind.Debit, request), cancellationToken);
        }
        catch (Exception refused) when (IsPermanent(RpcStatus.Of(refused)))
        {
            // Whatever its type: an account's ArgumentException is as final as its FailedPrecondition.
            await FinishAsync(TransferStatus.Failed, $"debit refused: {refused.Message}", refunded: false);
            return;
        }

        CrashIfInjected(TransferStep.AfterDebit);
        await FinishAsync(TransferStatus.Debited, failureReason: null, refunded: false);
    }

    private async Task CreditAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        var to = GrainFactory.GetGrain<IAccountGrain>(request.ToAccount);
        try
        {
            await to.ApplyTransferLeg(Leg(TransferLegKind.Credit, request), cancellationToken);
        }
        catch (Exception refused) when (IsPermanent(RpcStatus.Of(refused)))
        {
            // The credit can never succeed. Decide to refund durably first: a refund lost to a crash while the record
            // still said Debited would be followed by a credit once the account took credits again (money created).
            await FinishAsync(TransferStatus.Refunding, $"credit refused: {refused.Message}", refunded: false);
            return;
        }

        CrashIfInjected(TransferStep.AfterCredit);
        await FinishAsync(TransferStatus.Completed, failureReason: null, refunded: false);
    }

    private async Task RefundAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        // Under its own leg id, so a refund repeated after a crash is applied once.
        var from = GrainFactory.GetGrain<IAccountGrain>(request.FromAccount);
        await from.ApplyTransferLeg(Leg(TransferLegKind.Refund, request), cancellationToken);
        CrashIfInjected(TransferStep.AfterRefund);
        await FinishAsync(TransferStatus.Failed, transfer.State.FailureReason, refunded: true);
    }

    private async Task FinishAsync(TransferStatus status, string? failureReason, bool refunded)
    {
        transfer.State.Status = status;
        transfer.State.FailureReason = failureReason;
        transfer.State.DebitRefunded = refunded;
        await this.WriteStateOrDeactivateAsync(transfer);
        _finalStored = status is TransferStatus.Completed or TransferStatus.Failed;
    }

    private void CrashIfInjected(TransferStep step)
    {
        if (faults.ShouldCrash(this.GetPrimaryKeyString(), step))
        {
            LogCrashInjected(logger, this.GetPrimaryKeyString(), step);
            // As a crash would: the activation and whatever it had not written are gone.
            this.DeactivateOnIdle();
            throw new RpcException(RpcStatus.Unknown, $"injected crash of transfer {this.GetPrimaryKeyString()} after {step}");
        }
    }

    private TransferLeg Leg(TransferLegKind kind, TransferRequest request) =>
        new(this.GetPrimaryKeyString(), kind, request.Amount);

    private TransferState Snapshot()
    {
        var record = transfer.State;
        return new TransferState(this.GetPrimaryKeyString(), record.Status, record.Request, record.FailureReason, record.DebitRefunded);
    }

    private static bool IsPermanent(RpcStatus status) =>
        status is RpcStatus.FailedPrecondition or RpcStatus.InvalidArgument or RpcStatus.NotFound or RpcStatus.OutOfRange;

    private static void Validate(TransferRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.FromAccount, nameof(request.FromAccount));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ToAccount, nameof(request.ToAccount));
        if (request.FromAccount == request.ToAccount)
        {
            throw new ArgumentException("A transfer needs two different accounts.", nameof(request));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Amount, nameof(request.Amount));
    }

    [LoggerMessage(EventId = 1000, EventName = "TransferDriveFailed", Level = LogLevel.Warning,
        Message = "Transfer {TransferId} could not move on from {Status}; the next reminder tick retries: {Reason}")]
    private static partial void LogDriveFailed(ILogger logger, string transferId, TransferStatus status, string reason);

    [LoggerMessage(EventId = 1002, EventName = "TransferForgetLegsFailed", Level = LogLevel.Warning,
        Message = "Transfer {TransferId} is {Status} but its accounts could not be told to forget its legs; the next reminder tick retries: {Reason}")]
    private static partial void LogForgetFailed(ILogger logger, string transferId, TransferStatus status, string reason);

    // Worded like the silo's other injected faults, so a chaos run counts them with the rest.
    [LoggerMessage(EventId = 1003, EventName = "TransferCrashInjected", Level = LogLevel.Information,
        Message = "Injected fault Crash{Step} into transfer {TransferId}")]
    private static partial void LogCrashInjected(ILogger logger, string transferId, TransferStep step);

    [LoggerMessage(EventId = 1001, EventName = "TransferOrphanReminderRemoved", Level = LogLevel.Information,
        Message = "Transfer {TransferId} has no stored intent (its write failed after the reminder was registered); its reminder is removed")]
    private static partial void LogOrphanReminderRemoved(ILogger logger, string transferId);
}
