using Orleans.TestingHost;
using ReliableRpc.Grains.Ledger;
using ReliableRpc.Tests.Integration.Infrastructure;
using Xunit.Abstractions;

namespace ReliableRpc.Tests.Integration.Idempotency;

/// <summary>Deposits under duplicated deliveries and lost responses: each applies exactly once.</summary>
public sealed class MessageFaultTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(MessageFault.DeliverTwice)]
    [InlineData(MessageFault.DropFirstResponse)]
    public async Task Deposits_UnderInjectedMessageFaults_EachTakeEffectExactlyOnce(MessageFault fault)
    {
        // Every first attempt fails here, which is just what the retry budget exists to damp (20 % by default);
        // this test is about exactly-once effects, so it lets every call have its retry.
        var cluster = await ClusterFixture.StartAsync(2, new Dictionary<string, string>
        {
            [MessageFaultFilter.Setting] = fault.ToString(),
            ["ReliableRpc:Retries:Budget:Ratio"] = "1",
            ["ReliableRpc:Retries:Budget:MaxSaved"] = "1000",
        });
        try
        {
            var run = Guid.NewGuid().ToString("N")[..8];
            var accounts = Enumerable.Range(0, 20).Select(i => $"{run}-{i}").ToArray();
            var expected = accounts.ToDictionary(a => a, _ => 0L);

            var deposits = Enumerable.Range(0, 200).Select(i => (Account: accounts[i % 20], Amount: 1L + i)).ToArray();
            foreach (var (account, amount) in deposits)
            {
                expected[account] += amount;
            }

            await Task.WhenAll(deposits.Select(d => cluster.Client.GetGrain<IAccountGrain>(d.Account).Deposit(d.Amount))).WaitAsync(TimeSpan.FromSeconds(60));

            var injected = MessageFaultFilter.InjectedFor(run);
            var writes = SharedGrainStorage.WritesOf(run);
            output.WriteLine($"{fault}: {deposits.Length} deposits, {injected} faults injected, {writes} storage writes");
            Assert.Equal(deposits.Length, injected);

            // One write per effect: the idempotency record rides in the same write as the balance.
            Assert.Equal(deposits.Length, writes);
            foreach (var account in accounts)
            {
                var statement = await cluster.Client.GetGrain<IAccountGrain>(account).GetStatement();
                Assert.Equal(expected[account], statement.Balance);
                Assert.Equal(expected[account], statement.Deposited);
            }
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
