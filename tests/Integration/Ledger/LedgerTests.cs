using Orleans;
using Orleans.Runtime;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.Integration.Infrastructure;

namespace ReliableRpc.Tests.Integration.Ledger;

[Collection(ClusterCollection.Name)]
public class LedgerTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Transfers_BetweenAccountsOnBothSilos_MoveMoneyAndReconcile()
    {
        var accounts = Enumerable.Range(0, 20).Select(i => $"{_run}-a{i}").ToArray();
        foreach (var id in accounts)
        {
            await fixture.Grains.GetGrain<IAccountGrain>(id).Deposit(1_000).WaitAsync(Timeout);
        }

        var transfers = Enumerable.Range(0, 100)
            .Select(i => (Id: $"{_run}-t{i}", Request: new TransferRequest(accounts[i % 20], accounts[(i * 7 + 3) % 20 == i % 20 ? (i + 1) % 20 : (i * 7 + 3) % 20], 10 + i)))
            .ToArray();
        var states = await Task.WhenAll(transfers.Select(t => fixture.Grains.GetGrain<ITransferGrain>(t.Id).Execute(t.Request))).WaitAsync(Timeout);

        Assert.All(states, s => Assert.Equal(TransferStatus.Completed, s.Status));
        var expected = accounts.ToDictionary(a => a, _ => 1_000L);
        foreach (var (_, request) in transfers)
        {
            expected[request.FromAccount] -= request.Amount;
            expected[request.ToAccount] += request.Amount;
        }

        foreach (var id in accounts)
        {
            var statement = await fixture.Grains.GetGrain<IAccountGrain>(id).GetStatement().WaitAsync(Timeout);
            Assert.Equal(expected[id], statement.Balance);
            Assert.Equal(statement.Balance, statement.ExpectedBalance);
        }

        // The accounts really were spread over both silos, so the transfers crossed the wire.
        var hosts = await Task.WhenAll(accounts.Select(a => HostOf(fixture.Grains.GetGrain<IAccountGrain>(a))));
        Assert.Equal(2, hosts.Distinct().Count());
    }

    [Fact]
    public async Task Deposit_OnAStaleActivation_IsRefusedOnTheETag_AndAppliedOnceByTheFreshOne()
    {
        // What a silo frozen, declared dead and woken does: its old activation writes after another has written.
        var id = $"{_run}-stale";
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        await account.Deposit(100).WaitAsync(Timeout);
        SharedGrainStorage.WriteFromAnotherActivation(id);

        await account.Deposit(10).WaitAsync(Timeout);

        Assert.Equal(1, SharedGrainStorage.StaleWritesOf(id));
        var statement = await account.GetStatement().WaitAsync(Timeout);
        Assert.Equal(110, statement.Balance);
        Assert.Equal(statement.Balance, statement.ExpectedBalance);
    }

    [Fact]
    public async Task Balance_AfterDeactivation_IsReadBackFromStorage()
    {
        var account = fixture.Grains.GetGrain<IAccountGrain>($"{_run}-persist");
        await account.Deposit(70).WaitAsync(Timeout);
        await account.Withdraw(20).WaitAsync(Timeout);
        await HostOf(account);

        // Deactivates every idle activation in the cluster: the account's state must come back from storage.
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero).WaitAsync(Timeout);
        await WaitForDeactivation(account);

        var statement = await account.GetStatement().WaitAsync(Timeout);
        Assert.Equal(50, statement.Balance);
        Assert.Equal(70, statement.Deposited);
        Assert.Equal(20, statement.Withdrawn);
    }

    [Fact]
    public async Task Execute_SameTransferIdTwice_AppliesOnce()
    {
        var from = fixture.Grains.GetGrain<IAccountGrain>($"{_run}-from");
        var to = fixture.Grains.GetGrain<IAccountGrain>($"{_run}-to");
        await from.Deposit(100).WaitAsync(Timeout);
        var request = new TransferRequest(from.GetPrimaryKeyString(), to.GetPrimaryKeyString(), 60);
        var transfer = fixture.Grains.GetGrain<ITransferGrain>($"{_run}-once");

        await transfer.Execute(request).WaitAsync(Timeout);
        var again = await transfer.Execute(request).WaitAsync(Timeout);

        Assert.Equal(TransferStatus.Completed, again.Status);
        Assert.Equal(40, await from.GetBalance().WaitAsync(Timeout));
        Assert.Equal(60, await to.GetBalance().WaitAsync(Timeout));
    }

    [Fact]
    public async Task Execute_SameIdOtherRequest_FailsWithInvalidArgument()
    {
        var transfer = fixture.Grains.GetGrain<ITransferGrain>($"{_run}-reused");
        await fixture.Grains.GetGrain<IAccountGrain>($"{_run}-x").Deposit(100).WaitAsync(Timeout);
        await transfer.Execute(new TransferRequest($"{_run}-x", $"{_run}-y", 10)).WaitAsync(Timeout);

        var error = await Assert.ThrowsAsync<RpcException>(() => transfer.Execute(new TransferRequest($"{_run}-x", $"{_run}-y", 11)).WaitAsync(Timeout));
        Assert.Equal(RpcStatus.InvalidArgument, error.Status);
        Assert.Equal(90, await fixture.Grains.GetGrain<IAccountGrain>($"{_run}-x").GetBalance().WaitAsync(Timeout));
    }

    [Fact]
    public async Task Execute_Overdraft_FailsTransferAndMovesNothing()
    {
        var from = fixture.Grains.GetGrain<IAccountGrain>($"{_run}-poor");
        await from.Deposit(5).WaitAsync(Timeout);
        var state = await fixture.Grains.GetGrain<ITransferGrain>($"{_run}-overdraft")
            .Execute(new TransferRequest($"{_run}-poor", $"{_run}-rich", 6)).WaitAsync(Timeout);

        Assert.Equal(TransferStatus.Failed, state.Status);
        Assert.Contains("insufficient funds", state.FailureReason);
        Assert.Equal(5, await from.GetBalance().WaitAsync(Timeout));
        Assert.Empty((await fixture.Grains.GetGrain<IAccountGrain>($"{_run}-rich").GetStatement().WaitAsync(Timeout)).AppliedLegs);
    }

    [Fact]
    public async Task Deposit_NegativeAmount_FailsWithInvalidArgumentAcrossTheWire()
    {
        // Thrown by the grain as an ArgumentOutOfRangeException, it arrives as one, as in plain Orleans.
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => fixture.Grains.GetGrain<IAccountGrain>($"{_run}-neg").Deposit(-1).WaitAsync(Timeout));
        Assert.Equal(RpcStatus.InvalidArgument, RpcStatus.Of(error));
        Assert.Contains("positive", error.Message);
    }

    private async Task<SiloAddress> HostOf(IGrain grain)
    {
        var grainId = grain.GetGrainId();
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        for (var i = 0; i < 50; i++)
        {
            var activations = await management.GetDetailedGrainStatistics(null, null).WaitAsync(Timeout);
            var match = activations.FirstOrDefault(a => a.GrainId == grainId);
            if (match is not null)
            {
                return match.SiloAddress;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"{grainId} has no activation");
    }

    private async Task WaitForDeactivation(IAccountGrain account)
    {
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        var grainId = account.GetGrainId();
        for (var i = 0; i < 100; i++)
        {
            var activations = await management.GetDetailedGrainStatistics(null, null).WaitAsync(Timeout);
            if (activations.All(a => a.GrainId != grainId))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{grainId} was not deactivated");
    }
}
