using Microsoft.Extensions.Options;
using ReliableRpc.Policies.Internal;
using ReliableRpc.Tests.Unit.Fakes;

namespace ReliableRpc.Tests.Unit.Policies;

public class MethodPolicyCacheTests
{
    private readonly MethodPolicyCache _cache = new(Options.Create(new ReliableRpcOptions()));

    [Theory]
    [InlineData(nameof(IMarkedGrain.Unmarked), false, false)]
    [InlineData(nameof(IMarkedGrain.Read), true, false)]
    [InlineData(nameof(IMarkedGrain.Deposit), false, true)]
    [InlineData(nameof(IMarkedGrain.Ship), false, false)]
    public void Get_RetryMark_DecidesWhetherTheMethodMayRepeat(string method, bool idempotent, bool acceptsKey)
    {
        var policy = PolicyOf(method);

        Assert.Equal(idempotent, policy.IsIdempotent);
        Assert.Equal(acceptsKey, policy.AcceptsKey);
    }

    [Theory]
    [InlineData(nameof(IMarkedGrain.ShipOrRead))]
    [InlineData(nameof(IMarkedGrain.ShipOrDeposit))]
    public void Get_AtMostOnceWithAContradictingMark_IsAtMostOnce(string method)
    {
        var policy = PolicyOf(method);

        Assert.False(policy.IsIdempotent);
        Assert.False(policy.AcceptsKey);
    }

    private MethodPolicy PolicyOf(string method) =>
        _cache.Get(new MethodInvokable(typeof(IMarkedGrain).GetMethod(method)!));

    public interface IMarkedGrain
    {
        Task Unmarked();

        [Idempotent]
        Task<int> Read();

        [AcceptsIdempotencyKey]
        Task<int> Deposit(int amount);

        [AtMostOnce]
        Task Ship();

        [AtMostOnce]
        [Idempotent]
        Task<int> ShipOrRead();

        [AtMostOnce]
        [AcceptsIdempotencyKey]
        Task<int> ShipOrDeposit(int amount);
    }
}
