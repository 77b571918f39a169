using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ReliableRpc.Analyzers;

/// <summary>
/// The Orleans and ReliableRpc types of one compilation, looked up once, and the questions the analyzers ask of
/// them: is this a grain interface the pipeline handles, does this method carry that mark.
/// </summary>
internal sealed class GrainInterfaceSymbols
{
    private readonly INamedTypeSymbol _addressable;
    private readonly ImmutableArray<INamedTypeSymbol> _passThroughBases;
    private readonly INamedTypeSymbol? _oneWay;

    private GrainInterfaceSymbols(Compilation compilation, INamedTypeSymbol addressable)
    {
        _addressable = addressable;
        _passThroughBases = new[] { KnownTypeNames.GrainObserver, KnownTypeNames.GrainExtension, KnownTypeNames.SystemTarget }
            .Select(compilation.GetTypeByMetadataName)
            .Where(type => type is not null)
            .Select(type => type!)
            .ToImmutableArray();
        _oneWay = compilation.GetTypeByMetadataName(KnownTypeNames.OneWayAttribute);
        Idempotent = compilation.GetTypeByMetadataName(KnownTypeNames.IdempotentAttribute);
        AcceptsIdempotencyKey = compilation.GetTypeByMetadataName(KnownTypeNames.AcceptsIdempotencyKeyAttribute);
        AtMostOnce = compilation.GetTypeByMetadataName(KnownTypeNames.AtMostOnceAttribute);
        CancellationToken = compilation.GetTypeByMetadataName(KnownTypeNames.CancellationToken);
    }

    /// <summary>ReliableRpc's <c>[Idempotent]</c>, or null when the compilation does not reference ReliableRpc.</summary>
    public INamedTypeSymbol? Idempotent { get; }

    /// <summary>ReliableRpc's <c>[AcceptsIdempotencyKey]</c>, or null.</summary>
    public INamedTypeSymbol? AcceptsIdempotencyKey { get; }

    /// <summary>ReliableRpc's <c>[AtMostOnce]</c>, or null.</summary>
    public INamedTypeSymbol? AtMostOnce { get; }

    /// <summary><see cref="System.Threading.CancellationToken"/>, or null in a compilation without it.</summary>
    public INamedTypeSymbol? CancellationToken { get; }

    /// <summary>True when all three retry marks are known, so a method can be asked to carry one.</summary>
    public bool HasRetryMarks => Idempotent is not null && AcceptsIdempotencyKey is not null && AtMostOnce is not null;

    /// <summary>The symbols of <paramref name="compilation"/>, or null when it does not reference Orleans: then nothing is a grain.</summary>
    public static GrainInterfaceSymbols? Create(Compilation compilation) =>
        compilation.GetTypeByMetadataName(KnownTypeNames.Addressable) is { } addressable
            ? new GrainInterfaceSymbols(compilation, addressable)
            : null;

    /// <summary>
    /// True when <paramref name="method"/> is a call the pipeline handles: an instance method declared on a grain
    /// interface, not one-way, and not on an observer, extension or system target (the pipeline passes those through).
    /// </summary>
    public bool IsPipelineMethod(IMethodSymbol method) =>
        method.MethodKind == MethodKind.Ordinary
        && !method.IsStatic
        && method.ContainingType is { TypeKind: TypeKind.Interface } type
        && IsGrainInterface(type)
        && !Has(method, _oneWay);

    /// <summary>True when <paramref name="method"/> carries the attribute <paramref name="attribute"/> (exactly that type).</summary>
    public static bool Has(IMethodSymbol method, INamedTypeSymbol? attribute) =>
        attribute is not null
        && method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));

    /// <summary>True when <paramref name="method"/> has a <c>CancellationToken</c> parameter.</summary>
    public bool TakesCancellationToken(IMethodSymbol method) =>
        method.Parameters.Any(p => SymbolEqualityComparer.Default.Equals(p.Type, CancellationToken));

    private bool IsGrainInterface(INamedTypeSymbol type)
    {
        var bases = type.AllInterfaces;
        return bases.Contains(_addressable, SymbolEqualityComparer.Default)
            && !_passThroughBases.Any(passThrough =>
                SymbolEqualityComparer.Default.Equals(type, passThrough) || bases.Contains(passThrough, SymbolEqualityComparer.Default));
    }
}
