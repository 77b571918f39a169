using YamlDotNet.RepresentationModel;

namespace ReliableRpc.Tests.Deploy;

/// <summary>Short reads of YAML mappings for the manifest tests.</summary>
internal static class YamlNodes
{
    /// <summary>The mapping at a dotted path ("spec.template.spec"); fails naming the path when it is missing.</summary>
    public static YamlMappingNode Path(this YamlMappingNode node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            node = node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode mapping
                ? mapping
                : throw new Xunit.Sdk.XunitException($"no mapping '{key}' (of '{path}') in:\n{node}");
        }

        return node;
    }

    /// <summary>The scalar under <paramref name="key"/>, or null.</summary>
    public static string? Str(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>Whether there is any node under <paramref name="key"/>.</summary>
    public static bool Has(this YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    /// <summary>The mappings of the sequence under <paramref name="key"/> (empty when there is none).</summary>
    public static IEnumerable<YamlMappingNode> Items(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence
            ? sequence.Children.OfType<YamlMappingNode>()
            : [];

    /// <summary>The scalars of the sequence under <paramref name="key"/> (empty when there is none).</summary>
    public static IEnumerable<string> Scalars(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence
            ? sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "")
            : [];

    /// <summary>Every pod template's containers, with the object they belong to.</summary>
    public static IEnumerable<(YamlMappingNode Owner, YamlMappingNode Container)> Containers(IEnumerable<YamlMappingNode> objects) =>
        objects.Where(o => o.Str("kind") is "Deployment" or "StatefulSet")
            .SelectMany(o => o.Path("spec.template.spec").Items("containers").Select(c => (o, c)));
}
