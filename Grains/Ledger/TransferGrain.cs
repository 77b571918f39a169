using Orleans;
using Orleans.Placement;
using Orleans.Runtime;

namespace ReliableRpc.Grains.Ledger;

/// <summary>
/// Moves money between two accounts. The intent is written before any account is touched, and each
/// step's result is written before the next, so a repeated <see cref="Execute"/> resumes where the
/// last one stopped. The accounts de-duplicate legs by transfer id, so repeating a step is harmless.
/// </summary>
[RandomPlacement]
public sealed class TransferGrain(
    [PersistentState("transfer", LedgerStorage.Name)] IPersistentState<TransferRecord> transfer) : Grain, ITransferGrain
{
    /// <inheritdoc />
    public async Task<TransferState> Execute(TransferRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var record = transfer.State;
        if (record.Status == TransferStatus.None)
        {
            record.Request = request;
            record.Status = TransferStatus.Pending;
            await this.WriteStateOrDeactivateAsync(transfer);
        }
        else if (record.Request != request)
        {
            throw new RpcException(RpcStatus.InvalidArgument,
                $"transfer id {this.GetPrimaryKeyString()} was already used for another request");
        }

        if (record.Status == TransferStatus.Pending)
        {
            await DebitAsync(record.Request!, cancellationToken);
        }

        if (record.Status == TransferStatus.Debited)
        {
            await CreditAsync(record.Request!, cancellationToken);
        }

        return Snapshot();
    }

    /// <inheritdoc />
    public Task<TransferState> GetState(CancellationToken cancellationToken) => Task.FromResult(Snapshot());

    private async Task DebitAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        var from = GrainFactory.GetGrain<IAccountGrain>(request.FromAccount);
        try
        {
            await from.ApplyTransferLeg(Leg(TransferLegKind.Debit, request), cancellationToken);
        }
        catch (RpcException refused) when (IsPermanent(refused.Status))
        {
            await FinishAsync(TransferStatus.Failed, $"debit refused: {refused.Detail}");
            return;
        }

        await FinishAsync(TransferStatus.Debited, failureReason: null);
    }

    private async Task CreditAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        var to = GrainFactory.GetGrain<IAccountGrain>(request.ToAccount);
        try
        {
            await to.ApplyTransferLeg(Leg(TransferLegKind.Credit, request), cancellationToken);
        }
        catch (RpcException refused) when (IsPermanent(refused.Status))
        {
            // The credit can never succeed: give the debit back, under its own leg id so it happens once.
            var from = GrainFactory.GetGrain<IAccountGrain>(request.FromAccount);
            await from.ApplyTransferLeg(Leg(TransferLegKind.Refund, request), cancellationToken);
            await FinishAsync(TransferStatus.Failed, $"credit refused, debit refunded: {refused.Detail}");
            return;
        }

        await FinishAsync(TransferStatus.Completed, failureReason: null);
    }

    private async Task FinishAsync(TransferStatus status, string? failureReason)
    {
        transfer.State.Status = status;
        transfer.State.FailureReason = failureReason;
        await this.WriteStateOrDeactivateAsync(transfer);
    }

    private TransferLeg Leg(TransferLegKind kind, TransferRequest request) =>
        new(this.GetPrimaryKeyString(), kind, request.Amount);

    private TransferState Snapshot()
    {
        var record = transfer.State;
        return new TransferState(this.GetPrimaryKeyString(), record.Status, record.Request, record.FailureReason);
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
}
