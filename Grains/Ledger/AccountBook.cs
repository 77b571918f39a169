namespace ReliableRpc.Grains.Ledger;

/// <summary>
/// The ledger rules of one account, apart from Orleans so they can be tested alone: amounts are
/// positive, an account never goes below zero, and a transfer leg is applied at most once: its id is kept until
/// the transfer, final, tells the account to forget it (<see cref="ForgetTransfer"/>), never dropped for space.
/// </summary>
internal readonly struct AccountBook(AccountState state)
{
    private static readonly TransferLegKind[] LegKinds = Enum.GetValues<TransferLegKind>();

    /// <summary>Adds <paramref name="amount"/>; returns the new balance.</summary>
    public long Deposit(long amount)
    {
        EnsurePositive(amount);
        state.Balance = checked(state.Balance + amount);
        state.Deposited = checked(state.Deposited + amount);
        return state.Balance;
    }

    /// <summary>Takes <paramref name="amount"/> out; returns the new balance.</summary>
    public long Withdraw(long amount)
    {
        EnsurePositive(amount);
        EnsureFunds(amount);
        state.Balance -= amount;
        state.Withdrawn = checked(state.Withdrawn + amount);
        return state.Balance;
    }

    /// <summary>
    /// Applies a transfer leg unless it was applied before. Returns true when the state changed
    /// (and must be written), false for a repeat.
    /// </summary>
    public bool ApplyLeg(TransferLeg leg)
    {
        ArgumentNullException.ThrowIfNull(leg);
        ArgumentException.ThrowIfNullOrWhiteSpace(leg.TransferId, "leg.TransferId");
        EnsurePositive(leg.Amount);

        if (state.AppliedLegs.TryGetValue(leg.LegId, out var applied))
        {
            if (applied != leg)
            {
                throw new RpcException(RpcStatus.InvalidArgument,
                    $"transfer leg {leg.LegId} was already applied with amount {applied.Amount}, not {leg.Amount}");
            }

            return false;
        }

        if (leg.Kind == TransferLegKind.Debit)
        {
            EnsureFunds(leg.Amount);
            state.TransfersOut = checked(state.TransfersOut + leg.Amount);
        }
        else
        {
            if (leg.Kind == TransferLegKind.Credit && state.Frozen)
            {
                throw new RpcException(RpcStatus.FailedPrecondition, "the account is frozen: it takes no credits");
            }

            state.TransfersIn = checked(state.TransfersIn + leg.Amount);
        }

        state.Balance = checked(state.Balance + leg.SignedAmount);
        state.AppliedLegs.Add(leg.LegId, leg);
        state.LegOrder.Clear();
        return true;
    }

    /// <summary>
    /// Forgets the legs of transfer <paramref name="transferId"/>. Only a final transfer may ask: it sends no leg any
    /// more, so none can be repeated. Returns true when the state changed (and must be written).
    /// </summary>
    public bool ForgetTransfer(string transferId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transferId);
        var changed = false;
        foreach (var kind in LegKinds)
        {
            changed |= state.AppliedLegs.Remove(new TransferLeg(transferId, kind, 1).LegId);
        }

        // States stored when legs were dropped by count carry this order; nothing reads it any more.
        if (state.LegOrder.Count > 0)
        {
            state.LegOrder.Clear();
            changed = true;
        }

        return changed;
    }

    private static void EnsurePositive(long amount)
    {
        if (amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "The amount must be positive.");
        }
    }

    private void EnsureFunds(long amount)
    {
        if (state.Balance < amount)
        {
            throw new RpcException(RpcStatus.FailedPrecondition,
                $"insufficient funds: balance {state.Balance}, requested {amount}");
        }
    }
}
