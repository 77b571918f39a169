using Microsoft.CodeAnalysis.Testing;
using ReliableRpc.Analyzers;
using ReliableRpc.Tests.Analyzers.Infrastructure;

namespace ReliableRpc.Tests.Analyzers;

public sealed class RetrySafetyAnalyzerTests
{
    private const string Usings = """
        using System.Diagnostics.CodeAnalysis;
        using System.Threading;
        using System.Threading.Tasks;
        using Orleans;
        using Orleans.Concurrency;
        using ReliableRpc;

        """;

    [Fact]
    public Task UnmarkedGrainMethod_ReportsRRPC001() =>
        Verify.AnalyzerAsync<RetrySafetyAnalyzer>(Usings + """
            public interface IOrderGrain : IGrainWithStringKey
            {
                Task<int> {|RRPC001:Place|}(int quantity, CancellationToken cancellationToken = default);
            }
            """);

    [Fact]
    public Task MarkedGrainMethods_ReportNothing() =>
        Verify.AnalyzerAsync<RetrySafetyAnalyzer>(Usings + """
            public interface IOrderGrain : IGrainWithGuidKey
            {
                [Idempotent] Task<int> GetTotal(CancellationToken cancellationToken = default);
                [AcceptsIdempotencyKey] Task<int> Place(int quantity, CancellationToken cancellationToken = default);
                [AtMostOnce] Task Ship(CancellationToken cancellationToken = default);
            }
            """);

    [Fact]
    public Task MethodsThePipelinePassesThrough_ReportNothing() =>
        Verify.AnalyzerAsync<RetrySafetyAnalyzer>(Usings + """
            public interface INotifyingGrain : IGrainWithIntegerKey
            {
                [OneWay] Task Notify(string message);
            }

            public interface IOrderObserver : IGrainObserver
            {
                void Shipped(string order);
            }

            public interface IPlainService
            {
                Task<int> Place(int quantity);
            }
            """);

    [Fact]
    public Task MethodOfBaseGrainInterface_IsReportedOnceWhereDeclared() =>
        Verify.AnalyzerAsync<RetrySafetyAnalyzer>(Usings + """
            public interface ICountingGrain : IGrainWithStringKey
            {
                Task<int> {|RRPC001:Count|}(CancellationToken cancellationToken = default);
            }

            public interface ISpecialCountingGrain : ICountingGrain
            {
                [Idempotent] Task<int> Get(CancellationToken cancellationToken = default);
            }
            """);

    [Fact]
    public Task AttributeOfTheSameNameInAnotherNamespace_DoesNotCount() =>
        Verify.AnalyzerAsync<RetrySafetyAnalyzer>("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using Orleans;

            namespace Elsewhere
            {
                [AttributeUsage(AttributeTargets.Method)]
                public sealed class IdempotentAttribute : Attribute { }

                public interface IOrderGrain : IGrainWithStringKey
                {
                    [Idempotent] Task<int> {|RRPC001:GetTotal|}(CancellationToken cancellationToken = default);
                }
            }
            """);

    [Theory]
    [InlineData("Deposit", "Deposit")]
    [InlineData("AddItem", "Add")]
    [InlineData("IncrementCounter", "Increment")]
    [InlineData("AppendLine", "Append")]
    [InlineData("Enqueue", "Enqueue")]
    public Task IdempotentMethodNamedLikeAnIncrement_ReportsRRPC002WithTheVerb(string name, string verb) =>
        Verify.AnalyzerAsync<RetrySafetyAnalyzer>(
            Usings + $$"""
                public interface ICounterGrain : IGrainWithStringKey
                {
                    [Idempotent] Task<int> {|#0:{{name}}|}(int amount, CancellationToken cancellationToken = default);
                }
                """,
            new DiagnosticResult(RetrySafetyDiagnostics.IdempotentLooksCumulative).WithLocation(0).WithArguments(name, verb));

    [Fact]
    public Task IdempotentMethodWhoseNameOnlyStartsWithAVerb_ReportsNothing() =>
        Verify.AnalyzerAsync<RetrySafetyAnalyzer>(Usings + """
            public interface IPostGrain : IGrainWithStringKey
            {
                [Idempotent] Task<string> Address(CancellationToken cancellationToken = default);
                [Idempotent] Task<int> Additional(CancellationToken cancellationToken = default);
                [Idempotent] Task SetBalance(long balance, CancellationToken cancellationToken = default);
            }
            """);

    [Fact]
    public Task KeyedCumulativeMethod_ReportsNothing() =>
        Verify.AnalyzerAsync<RetrySafetyAnalyzer>(Usings + """
            public interface IAccountGrain : IGrainWithStringKey
            {
                [AcceptsIdempotencyKey] Task<long> Deposit(long amount, CancellationToken cancellationToken = default);
                [AtMostOnce] Task<long> Withdraw(long amount, CancellationToken cancellationToken = default);
            }
            """);

    [Fact]
    public Task RRPC002SuppressedWithAJustification_ReportsNothing() =>
        Verify.AnalyzerAsync<RetrySafetyAnalyzer>(Usings + """
            public interface IAccountGrain : IGrainWithStringKey
            {
                [Idempotent]
                [SuppressMessage("ReliableRpc.RetrySafety", "RRPC002", Justification = "Applied once per deposit id")]
                Task<long> Deposit(string depositId, long amount, CancellationToken cancellationToken = default);
            }
            """);

    [Fact]
    public Task AtMostOnceWithAnotherMark_ReportsRRPC004() =>
        Verify.AnalyzerAsync<RetrySafetyAnalyzer>(Usings + """
            public interface IAccountGrain : IGrainWithStringKey
            {
                [AtMostOnce, Idempotent] Task<long> {|RRPC004:GetBalance|}(CancellationToken cancellationToken = default);
                [AtMostOnce, AcceptsIdempotencyKey] Task<long> {|RRPC004:Deposit|}(long amount, CancellationToken cancellationToken = default);
            }
            """);
}
