using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ReliableRpc.Tests.Analyzers.Infrastructure;

/// <summary>Runs the analyzers and the code fix on snippets that compile against <see cref="SnippetReferences"/>.</summary>
internal static class Verify
{
    /// <summary>
    /// Checks that <typeparamref name="TAnalyzer"/> reports exactly the diagnostics marked in <paramref name="source"/>
    /// (<c>{|RRPC001:Name|}</c>) or listed in <paramref name="expected"/>, and no other, and that the snippet otherwise
    /// compiles without warnings.
    /// </summary>
    public static Task AnalyzerAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = source, ReferenceAssemblies = SnippetReferences.None };
        test.TestState.AdditionalReferences.AddRange(SnippetReferences.All);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>
    /// Checks that the code action <paramref name="equivalenceKey"/> of <typeparamref name="TCodeFix"/> turns
    /// <paramref name="source"/> into <paramref name="fixedSource"/>, where <typeparamref name="TAnalyzer"/> reports nothing.
    /// </summary>
    public static Task CodeFixAsync<TAnalyzer, TCodeFix>(string source, string fixedSource, string equivalenceKey)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
            ReferenceAssemblies = SnippetReferences.None,
        };
        test.TestState.AdditionalReferences.AddRange(SnippetReferences.All);
        return test.RunAsync();
    }
}
