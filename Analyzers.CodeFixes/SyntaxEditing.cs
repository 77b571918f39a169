using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ReliableRpc.Analyzers;

/// <summary>
/// The code fix's edits, with the trivia placed by hand: the result keeps the file's indentation and line endings
/// and needs no formatter (which would also reformat what the developer wrote).
/// </summary>
internal static class SyntaxEditing
{
    /// <summary>The file's line ending: its first one, or a line feed.</summary>
    public static SyntaxTrivia EndOfLineOf(SyntaxNode root) =>
        root.DescendantTrivia(descendIntoTrivia: true).FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is var first
        && first.IsKind(SyntaxKind.EndOfLineTrivia)
            ? first
            : EndOfLine("\n");

    /// <summary>
    /// <paramref name="method"/> with <c>[name]</c> as its first attribute, on a line of its own above the others,
    /// after the method's documentation comment.
    /// </summary>
    public static MethodDeclarationSyntax WithFirstAttribute(MethodDeclarationSyntax method, string name, SyntaxTrivia endOfLine)
    {
        var leading = method.GetLeadingTrivia();
        var indentation = leading.Count > 0 && leading.Last().IsKind(SyntaxKind.WhitespaceTrivia)
            ? TriviaList(leading.Last())
            : TriviaList();
        var attribute = AttributeList(SingletonSeparatedList(Attribute(ParseName(name))))
            .WithLeadingTrivia(leading)
            .WithTrailingTrivia(endOfLine);
        var rest = method.WithLeadingTrivia(indentation);
        return rest.WithAttributeLists(rest.AttributeLists.Insert(0, attribute));
    }

    /// <summary>
    /// <paramref name="root"/> with <c>using name;</c>: among the file's usings (System ones first, then in order), or
    /// among a namespace's when only the namespace has usings, or above everything when there are none.
    /// </summary>
    public static CompilationUnitSyntax WithUsing(CompilationUnitSyntax root, string name, SyntaxTrivia endOfLine)
    {
        var directive = UsingDirective(ParseName(name)).WithTrailingTrivia(endOfLine);
        if (root.Usings.Count == 0 && root.Members.FirstOrDefault() is BaseNamespaceDeclarationSyntax { Usings.Count: > 0 } namespaceDeclaration)
        {
            return root.ReplaceNode(namespaceDeclaration, namespaceDeclaration.WithUsings(Insert(namespaceDeclaration.Usings, directive)));
        }

        if (root.Usings.Count == 0)
        {
            // Above the first member, separated by a blank line; a file header stays above the using.
            var first = root.GetLeadingTrivia();
            var withoutHeader = root.WithLeadingTrivia();
            return withoutHeader.WithUsings(SingletonList(directive.WithLeadingTrivia(first).WithTrailingTrivia(endOfLine, endOfLine)));
        }

        return root.WithUsings(Insert(root.Usings, directive));
    }

    private static SyntaxList<UsingDirectiveSyntax> Insert(SyntaxList<UsingDirectiveSyntax> usings, UsingDirectiveSyntax directive)
    {
        var key = SortKey(directive);
        var index = usings.TakeWhile(u => u.StaticKeyword.IsKind(SyntaxKind.None) && u.Alias is null && string.CompareOrdinal(SortKey(u), key) < 0).Count();
        if (index == 0)
        {
            // The first using carries the file header: it moves to the new first one.
            var header = usings[0].GetLeadingTrivia();
            return usings.Replace(usings[0], usings[0].WithLeadingTrivia()).Insert(0, directive.WithLeadingTrivia(header));
        }

        return usings.Insert(index, directive);
    }

    // System namespaces sort first, as dotnet_sort_system_directives_first has them.
    private static string SortKey(UsingDirectiveSyntax directive)
    {
        var name = directive.Name?.ToString() ?? "";
        return (name == "System" || name.StartsWith("System.", StringComparison.Ordinal) ? "0" : "1") + name;
    }
}
