using Orleans;

namespace ReliableRpc.Grains.Ledger;

/// <summary>
/// A ledger account, keyed by its account id. Amounts are in minor units (cents) and always positive.
/// </summary>
[Alias("ReliableRpc.Ledger.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds money to the account; returns the new balance. Not idempotent — each call adds again — but keyed:
    /// the grain applies each idempotency key once, so the pipeline may retry it.
    /// </summary>
    [AcceptsIdempotencyKey]
    [Alias("Deposit")]
    Task<long> Deposit(long amount, CancellationToken cancellationToken = default);

    /// <summary>Takes money out of the account; returns the new balance. Fails with FailedPrecondition on overdraft. Keyed.</summary>
    [AcceptsIdempotencyKey]
    [Alias("Withdraw")]
    Task<long> Withdraw(long amount, CancellationToken cancellationToken = default);

    /// <summary>The current balance.</summary>
    [Idempotent]
    [Alias("GetBalance")]
    Task<long> GetBalance(CancellationToken cancellationToken = default);

    /// <summary>The balance and everything needed to reconcile it: totals and the transfer legs applied.</summary>
    [Idempotent]
    [Alias("GetStatement")]
    Task<AccountStatement> GetStatement(CancellationToken cancellationToken = default);

    /// <summary>Freezes (or thaws) the account: a frozen account refuses credits with FailedPrecondition. Sets a value: idempotent.</summary>
    [Idempotent]
    [Alias("SetFrozen")]
    Task SetFrozen(bool frozen, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies one leg of a transfer (debit, credit or refund). Idempotent by construction: the account
    /// records the legs it applied, and a leg applied before returns the balance without applying it again.
    /// </summary>
    [Idempotent]
    [Alias("ApplyTransferLeg")]
    Task<long> ApplyTransferLeg(TransferLeg leg, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets the legs of transfer <paramref name="transferId"/>, which the account keeps to apply each leg once. Only
    /// the transfer calls it, once it is final (written), so it never sends a leg again. Idempotent.
    /// </summary>
    [Idempotent]
    [Alias("ForgetTransferLegs")]
    Task ForgetTransferLegs(string transferId, CancellationToken cancellationToken = default);
}
