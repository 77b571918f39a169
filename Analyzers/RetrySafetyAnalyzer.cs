using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ReliableRpc.Analyzers;

/// <summary>
/// Asks every grain interface method to say whether it may be repeated (RRPC001), questions an idempotent mark on
/// a method named like an increment (RRPC002), and reports at-most-once contradicted by another mark (RRPC004).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RetrySafetyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        RetrySafetyDiagnostics.MissingRetrySafety,
        RetrySafetyDiagnostics.IdempotentLooksCumulative,
        RetrySafetyDiagnostics.ContradictoryRetrySafety);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        // Orleans' generated proxies and invokers implement grain interfaces; they declare none.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (GrainInterfaceSymbols.Create(start.Compilation) is { HasRetryMarks: true } symbols)
            {
                start.RegisterSymbolAction(symbol => Analyze(symbol, symbols), SymbolKind.Method);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, GrainInterfaceSymbols symbols)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!symbols.IsPipelineMethod(method))
        {
            return;
        }

        var idempotent = GrainInterfaceSymbols.Has(method, symbols.Idempotent);
        var keyed = GrainInterfaceSymbols.Has(method, symbols.AcceptsIdempotencyKey);
        var atMostOnce = GrainInterfaceSymbols.Has(method, symbols.AtMostOnce);
        var location = method.Locations[0];

        if (!idempotent && !keyed && !atMostOnce)
        {
            context.ReportDiagnostic(Diagnostic.Create(RetrySafetyDiagnostics.MissingRetrySafety, location, method.Name));
        }

        if (idempotent && !keyed && CumulativeMethodNames.CumulativeVerb(method.Name) is { } verb)
        {
            context.ReportDiagnostic(Diagnostic.Create(RetrySafetyDiagnostics.IdempotentLooksCumulative, location, method.Name, verb));
        }

        if (atMostOnce && (idempotent || keyed))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                RetrySafetyDiagnostics.ContradictoryRetrySafety, location, method.Name, idempotent ? "Idempotent" : "AcceptsIdempotencyKey"));
        }
    }
}
