using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Storage;

namespace ReliableRpc.Grains.Ledger;

/// <summary>A persisted ledger account.</summary>
/// <remarks>
/// Placed at random: the default resource-optimized placement put ~90 % of grains on one silo here, and
/// activation-count placement put a burst of 20 new grains all on one silo of a fresh cluster (its
/// statistics were not yet published). Random spreads evenly from the first call, and a silo that
/// rejoins after a restart gets its share of new activations.
/// </remarks>
[RandomPlacement]
public sealed class AccountGrain(
    [PersistentState("account", LedgerStorage.Name)] IPersistentState<AccountState> account,
    IdempotencyGuard idempotency) : Grain, IAccountGrain
{
    /// <inheritdoc />
    public Task<long> Deposit(long amount, CancellationToken cancellationToken) =>
        idempotency.ExecuteOnceAsync(this, account, state => new AccountBook(state).Deposit(amount));

    /// <inheritdoc />
    public Task<long> Withdraw(long amount, CancellationToken cancellationToken) =>
        idempotency.ExecuteOnceAsync(this, account, state => new AccountBook(state).Withdraw(amount));

    /// <inheritdoc />
    public Task<long> GetBalance(CancellationToken cancellationToken) => Task.FromResult(account.State.Balance);

    /// <inheritdoc />
    public Task<AccountStatement> GetStatement(CancellationToken cancellationToken)
    {
        var state = account.State;
        return Task.FromResult(new AccountStatement(
            this.GetPrimaryKeyString(), state.Balance, state.Deposited, state.Withdrawn, state.AppliedLegs.Values.ToList(),
            state.TransfersIn, state.TransfersOut, state.Frozen));
    }

    /// <inheritdoc />
    public async Task SetFrozen(bool frozen, CancellationToken cancellationToken)
    {
        if (account.State.Frozen != frozen)
        {
            account.State.Frozen = frozen;
            await this.WriteStateOrDeactivateAsync(account);
        }
    }

    /// <inheritdoc />
    public async Task<long> ApplyTransferLeg(TransferLeg leg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leg);
        if (!account.State.AppliedLegs.ContainsKey(leg.LegId))
        {
            await EnsureTransferTakesLegAsync(leg);
        }

        if (new AccountBook(account.State).ApplyLeg(leg))
        {
            await this.WriteStateOrDeactivateAsync(account);
        }

        return account.State.Balance;
    }

    /// <inheritdoc />
    public async Task ForgetTransferLegs(string transferId, CancellationToken cancellationToken)
    {
        if (new AccountBook(account.State).ForgetTransfer(transferId))
        {
            await this.WriteStateOrDeactivateAsync(account);
        }
    }

    /// <summary>
    /// A leg the account does not remember is new, or a repeat of one forgotten: the transfer's stored record tells
    /// which. Forgetting happens only after the transfer stored a final state, and a stale activation of the transfer
    /// (on a silo declared dead while frozen) can still send a leg after it; storage, not the sender, is the truth.
    /// </summary>
    private async Task EnsureTransferTakesLegAsync(TransferLeg leg)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(LedgerStorage.Name);
        var stored = new GrainState<TransferRecord>();
        await storage.ReadStateAsync(TransferGrain.StateName, GrainFactory.GetGrain<ITransferGrain>(leg.TransferId).GetGrainId(), stored);
        var status = stored.RecordExists ? stored.State?.Status ?? TransferStatus.None : TransferStatus.None;

        // A refunding transfer never credits: a stale Debited activation's credit would create money.
        if (status is TransferStatus.Completed or TransferStatus.Failed || (status == TransferStatus.Refunding && leg.Kind == TransferLegKind.Credit))
        {
            throw new RpcException(RpcStatus.FailedPrecondition,
                $"transfer {leg.TransferId} is {status}: it takes no {leg.Kind} leg any more (a stale sender; any earlier one was applied and forgotten)");
        }
    }
}
