using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ReliableRpc.Analyzers;

/// <summary>Reports grain interface methods that take no <c>CancellationToken</c>, so that their deadline cannot stop their work (RRPC003).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CancellationTokenAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(RetrySafetyDiagnostics.MissingCancellationToken);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (GrainInterfaceSymbols.Create(start.Compilation) is { CancellationToken: not null } symbols)
            {
                start.RegisterSymbolAction(symbol => Analyze(symbol, symbols), SymbolKind.Method);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, GrainInterfaceSymbols symbols)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (symbols.IsPipelineMethod(method) && !symbols.TakesCancellationToken(method))
        {
            context.ReportDiagnostic(Diagnostic.Create(RetrySafetyDiagnostics.MissingCancellationToken, method.Locations[0], method.Name));
        }
    }
}
