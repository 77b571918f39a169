namespace ReliableRpc.Analyzers;

/// <summary>One of the three retry marks RRPC001 asks for, as the code fix offers it.</summary>
internal sealed class RetryMark
{
    private RetryMark(string name, string metadataName, string title)
    {
        Name = name;
        MetadataName = metadataName;
        Title = title;
    }

    /// <summary>The attribute's name as written in code, without the "Attribute" suffix.</summary>
    public string Name { get; }

    /// <summary>The attribute's full metadata name.</summary>
    public string MetadataName { get; }

    /// <summary>The code action's title: the mark, and when it is the right one.</summary>
    public string Title { get; }

    /// <summary>The marks, in the order the code fix offers them.</summary>
    public static RetryMark[] All { get; } =
    {
        new("Idempotent", KnownTypeNames.IdempotentAttribute, "Mark [Idempotent]: running it twice changes nothing"),
        new("AcceptsIdempotencyKey", KnownTypeNames.AcceptsIdempotencyKeyAttribute, "Mark [AcceptsIdempotencyKey]: its grain de-duplicates by key"),
        new("AtMostOnce", KnownTypeNames.AtMostOnceAttribute, "Mark [AtMostOnce]: never retried once it may have started"),
    };
}
