using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Orleans;
using Orleans.Concurrency;

namespace ReliableRpc.Tests.Analyzers.Infrastructure;

/// <summary>
/// What test snippets compile against, without a network: the running runtime's own assemblies and the real
/// Orleans and ReliableRpc assemblies this project references, so the analyzers are tested against the very type
/// names they match.
/// </summary>
/// <remarks>
/// The testing library's <c>ReferenceAssemblies.Net.*</c> download a reference pack from NuGet into a cache the
/// first time; that depends on the network and on the cache's state, so none is used: an empty set names the target
/// framework, and the assemblies come in as additional references.
/// </remarks>
internal static class SnippetReferences
{
    /// <summary>A reference set that resolves nothing, so that nothing is downloaded.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    /// <summary>The runtime's assemblies, Orleans' abstractions and ReliableRpc.</summary>
    public static ImmutableArray<MetadataReference> All { get; } = Load();

    private static ImmutableArray<MetadataReference> Load()
    {
        // Every .dll in the shared framework's folder is managed; its native libraries end in .so, .dylib or are elsewhere.
        var runtime = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll");
        var libraries = new[] { typeof(IGrainWithStringKey), typeof(OneWayAttribute), typeof(AliasAttribute), typeof(IdempotentAttribute) }
            .Select(type => type.Assembly.Location);
        return runtime.Concat(libraries)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
