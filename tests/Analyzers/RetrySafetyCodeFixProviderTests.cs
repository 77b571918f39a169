using ReliableRpc.Analyzers;
using ReliableRpc.Tests.Analyzers.Infrastructure;

namespace ReliableRpc.Tests.Analyzers;

public sealed class RetrySafetyCodeFixProviderTests
{
    private const string Unmarked = """
        using System.Threading;
        using System.Threading.Tasks;
        using Orleans;

        namespace Shop;

        public interface IOrderGrain : IGrainWithStringKey
        {
            /// <summary>Places an order.</summary>
            [Alias("Place")]
            Task<int> {|RRPC001:Place|}(int quantity, CancellationToken cancellationToken = default);
        }
        """;

    [Theory]
    [InlineData("Idempotent")]
    [InlineData("AcceptsIdempotencyKey")]
    [InlineData("AtMostOnce")]
    public Task EachMark_IsAddedAboveTheOtherAttributesWithItsUsing(string mark) =>
        Verify.CodeFixAsync<RetrySafetyAnalyzer, RetrySafetyCodeFixProvider>(Unmarked, $$"""
            using System.Threading;
            using System.Threading.Tasks;
            using Orleans;
            using ReliableRpc;

            namespace Shop;

            public interface IOrderGrain : IGrainWithStringKey
            {
                /// <summary>Places an order.</summary>
                [{{mark}}]
                [Alias("Place")]
                Task<int> Place(int quantity, CancellationToken cancellationToken = default);
            }
            """, mark);

    [Fact]
    public Task MethodInsideTheReliableRpcNamespace_GetsNoUsing() =>
        Verify.CodeFixAsync<RetrySafetyAnalyzer, RetrySafetyCodeFixProvider>("""
            using System.Threading.Tasks;
            using Orleans;

            namespace ReliableRpc.Shop
            {
                public interface IOrderGrain : IGrainWithStringKey
                {
                    Task<int> {|RRPC001:Count|}();
                }
            }
            """, """
            using System.Threading.Tasks;
            using Orleans;

            namespace ReliableRpc.Shop
            {
                public interface IOrderGrain : IGrainWithStringKey
                {
                    [AtMostOnce]
                    Task<int> Count();
                }
            }
            """, "AtMostOnce");

    [Fact]
    public Task AnotherAttributeOfTheSameName_IsNotShadowed() =>
        Verify.CodeFixAsync<RetrySafetyAnalyzer, RetrySafetyCodeFixProvider>("""
            using System;
            using System.Threading.Tasks;
            using Orleans;

            namespace Shop;

            [AttributeUsage(AttributeTargets.Method)]
            public sealed class IdempotentAttribute : Attribute { }

            public interface IOrderGrain : IGrainWithStringKey
            {
                Task<int> {|RRPC001:GetTotal|}();
            }
            """, """
            using System;
            using System.Threading.Tasks;
            using Orleans;

            namespace Shop;

            [AttributeUsage(AttributeTargets.Method)]
            public sealed class IdempotentAttribute : Attribute { }

            public interface IOrderGrain : IGrainWithStringKey
            {
                [ReliableRpc.Idempotent]
                Task<int> GetTotal();
            }
            """, "Idempotent");

    [Fact]
    public Task FileWithTheUsingFirst_KeepsItsHeaderOnTop() =>
        Verify.CodeFixAsync<RetrySafetyAnalyzer, RetrySafetyCodeFixProvider>("""
            // Shop grains.
            using Shop.Messages;
            using Orleans;

            namespace Shop.Messages { public sealed class Order { } }

            namespace Shop
            {
                public interface IOrderGrain : Orleans.IGrainWithStringKey
                {
                    System.Threading.Tasks.Task {|RRPC001:Place|}(Order order);
                }
            }
            """, """
            // Shop grains.
            using ReliableRpc;
            using Shop.Messages;
            using Orleans;

            namespace Shop.Messages { public sealed class Order { } }

            namespace Shop
            {
                public interface IOrderGrain : Orleans.IGrainWithStringKey
                {
                    [AcceptsIdempotencyKey]
                    System.Threading.Tasks.Task Place(Order order);
                }
            }
            """, "AcceptsIdempotencyKey");

    [Fact]
    public Task FileWithoutUsings_GetsOneAboveItsNamespace() =>
        Verify.CodeFixAsync<RetrySafetyAnalyzer, RetrySafetyCodeFixProvider>("""
            namespace Shop;

            public interface IOrderGrain : Orleans.IGrainWithStringKey
            {
                System.Threading.Tasks.Task<int> {|RRPC001:GetTotal|}();
            }
            """, """
            using ReliableRpc;

            namespace Shop;

            public interface IOrderGrain : Orleans.IGrainWithStringKey
            {
                [Idempotent]
                System.Threading.Tasks.Task<int> GetTotal();
            }
            """, "Idempotent");
}
