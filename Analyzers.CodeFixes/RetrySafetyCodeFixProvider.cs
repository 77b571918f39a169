using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReliableRpc.Analyzers;

/// <summary>
/// Fixes RRPC001 by adding one of the retry marks to the method, offered as three separate actions: the choice is
/// the developer's, since only they know whether the method may run twice. Adds <c>using ReliableRpc;</c> when needed.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RetrySafetyCodeFixProvider))]
[Shared]
public sealed class RetrySafetyCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RetrySafetyDiagnostics.MissingRetrySafety.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            var method = root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>();
            if (method is null)
            {
                continue;
            }

            foreach (var mark in RetryMark.All)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        mark.Title,
                        cancellationToken => AddMarkAsync(context.Document, method, mark, cancellationToken),
                        equivalenceKey: mark.Name),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> AddMarkAsync(Document document, MethodDeclarationSyntax method, RetryMark mark, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax compilationUnit || semanticModel is null)
        {
            return document;
        }

        var naming = AttributeNaming.Resolve(semanticModel, method.SpanStart, mark);
        var endOfLine = SyntaxEditing.EndOfLineOf(compilationUnit);
        var updated = compilationUnit.ReplaceNode(method, SyntaxEditing.WithFirstAttribute(method, naming.Name, endOfLine));
        if (naming.NeedsUsing)
        {
            updated = SyntaxEditing.WithUsing(updated, AttributeNaming.Namespace, endOfLine);
        }

        return document.WithSyntaxRoot(updated);
    }
}
