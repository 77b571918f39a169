using ReliableRpc.Analyzers;
using ReliableRpc.Tests.Analyzers.Infrastructure;

namespace ReliableRpc.Tests.Analyzers;

public sealed class CancellationTokenAnalyzerTests
{
    private const string Usings = """
        using System.Threading;
        using System.Threading.Tasks;
        using Orleans;
        using Orleans.Concurrency;
        using ReliableRpc;

        """;

    [Fact]
    public Task GrainMethodWithoutToken_ReportsRRPC003() =>
        Verify.AnalyzerAsync<CancellationTokenAnalyzer>(Usings + """
            public interface IReportGrain : IGrainWithStringKey
            {
                [Idempotent] Task<string> {|RRPC003:Render|}(int page);
            }
            """);

    [Fact]
    public Task GrainMethodWithToken_ReportsNothing() =>
        Verify.AnalyzerAsync<CancellationTokenAnalyzer>(Usings + """
            public interface IReportGrain : IGrainWithStringKey
            {
                [Idempotent] Task<string> Render(int page, CancellationToken cancellationToken = default);
                [Idempotent] ValueTask<string> RenderFast(CancellationToken cancellationToken);
            }
            """);

    [Fact]
    public Task MethodsThePipelinePassesThrough_ReportNothing() =>
        Verify.AnalyzerAsync<CancellationTokenAnalyzer>(Usings + """
            public interface IReportGrain : IGrainWithStringKey
            {
                [OneWay] Task Invalidate();
            }

            public interface IReportObserver : IGrainObserver
            {
                void Rendered(string report);
            }

            public interface IRenderer
            {
                Task<string> Render(int page);
            }
            """);

    [Fact]
    public Task RRPC003SuppressedWithAPragma_ReportsNothing() =>
        Verify.AnalyzerAsync<CancellationTokenAnalyzer>(Usings + """
            public interface IChaosGrain : IGrainWithStringKey
            {
            #pragma warning disable RRPC003 // Deliberately uncancellable: tests what a deadline does to such a method.
                [AtMostOnce] Task SleepWithoutToken(System.TimeSpan duration);
            #pragma warning restore RRPC003
            }
            """);
}
