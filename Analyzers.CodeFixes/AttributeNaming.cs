using System.Linq;
using Microsoft.CodeAnalysis;

namespace ReliableRpc.Analyzers;

/// <summary>How a retry mark can be written at a place in code: by its short name, after adding a using, or qualified.</summary>
internal readonly struct AttributeNaming
{
    /// <summary>The namespace of the retry marks.</summary>
    public const string Namespace = "ReliableRpc";

    private AttributeNaming(string name, bool needsUsing)
    {
        Name = name;
        NeedsUsing = needsUsing;
    }

    /// <summary>The name to write between the brackets.</summary>
    public string Name { get; }

    /// <summary>True when <c>using ReliableRpc;</c> must be added for <see cref="Name"/> to bind.</summary>
    public bool NeedsUsing { get; }

    /// <summary>
    /// The short name when it already binds to the mark (a using, a global using, or an enclosing ReliableRpc
    /// namespace); the short name plus a using when nothing of that name is in scope; else the qualified name,
    /// because another attribute of the same name is in scope and a using would make the short name ambiguous.
    /// </summary>
    public static AttributeNaming Resolve(SemanticModel semanticModel, int position, RetryMark mark)
    {
        var attributeType = semanticModel.Compilation.GetTypeByMetadataName(mark.MetadataName);
        var withSuffix = semanticModel.LookupNamespacesAndTypes(position, name: mark.Name + "Attribute");
        var withoutSuffix = semanticModel.LookupNamespacesAndTypes(position, name: mark.Name);
        if (withoutSuffix.IsEmpty && withSuffix.Length == 1 && SymbolEqualityComparer.Default.Equals(withSuffix[0], attributeType))
        {
            return new AttributeNaming(mark.Name, needsUsing: false);
        }

        return withSuffix.IsEmpty && withoutSuffix.IsEmpty
            ? new AttributeNaming(mark.Name, needsUsing: true)
            : new AttributeNaming(Namespace + "." + mark.Name, needsUsing: false);
    }
}
