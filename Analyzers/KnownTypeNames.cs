namespace ReliableRpc.Analyzers;

/// <summary>
/// Full metadata names of the types the analyzers recognise. Matched by full name, never by simple name, so a
/// project's own <c>IdempotentAttribute</c> in another namespace is not mistaken for ReliableRpc's.
/// </summary>
internal static class KnownTypeNames
{
    public const string IdempotentAttribute = "ReliableRpc.IdempotentAttribute";
    public const string AcceptsIdempotencyKeyAttribute = "ReliableRpc.AcceptsIdempotencyKeyAttribute";
    public const string AtMostOnceAttribute = "ReliableRpc.AtMostOnceAttribute";

    /// <summary>The base of everything Orleans can call: grains, observers, extensions, system targets.</summary>
    public const string Addressable = "Orleans.Runtime.IAddressable";

    // The pipeline leaves calls to these alone (MethodPolicyCache.IsOrleansOwn), so they need no marks.
    public const string GrainObserver = "Orleans.IGrainObserver";
    public const string GrainExtension = "Orleans.Runtime.IGrainExtension";
    public const string SystemTarget = "Orleans.ISystemTarget";
    public const string OneWayAttribute = "Orleans.Concurrency.OneWayAttribute";

    public const string CancellationToken = "System.Threading.CancellationToken";
}
