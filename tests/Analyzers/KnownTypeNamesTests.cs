using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ReliableRpc.Analyzers;
using ReliableRpc.Tests.Analyzers.Infrastructure;

namespace ReliableRpc.Tests.Analyzers;

public sealed class KnownTypeNamesTests
{
    /// <summary>
    /// The analyzers match types by full name; a name that no longer resolves (an Orleans upgrade moving a type)
    /// would silently turn a diagnostic off, so every one is resolved against the real assemblies.
    /// </summary>
    [Theory]
    [InlineData(KnownTypeNames.IdempotentAttribute)]
    [InlineData(KnownTypeNames.AcceptsIdempotencyKeyAttribute)]
    [InlineData(KnownTypeNames.AtMostOnceAttribute)]
    [InlineData(KnownTypeNames.Addressable)]
    [InlineData(KnownTypeNames.GrainObserver)]
    [InlineData(KnownTypeNames.GrainExtension)]
    [InlineData(KnownTypeNames.SystemTarget)]
    [InlineData(KnownTypeNames.OneWayAttribute)]
    [InlineData(KnownTypeNames.CancellationToken)]
    public void Name_ResolvesInTheRealAssemblies(string metadataName)
    {
        var compilation = CSharpCompilation.Create("names", references: SnippetReferences.All);

        Assert.NotNull(compilation.GetTypeByMetadataName(metadataName));
    }
}
