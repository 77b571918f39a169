using Microsoft.CodeAnalysis;

namespace ReliableRpc.Analyzers;

/// <summary>The diagnostics of the ReliableRpc analyzers, one descriptor per id.</summary>
public static class RetrySafetyDiagnostics
{
    /// <summary>Category of the diagnostics about whether a method may be repeated.</summary>
    public const string RetrySafetyCategory = "ReliableRpc.RetrySafety";

    /// <summary>Category of the diagnostics about deadlines.</summary>
    public const string DeadlinesCategory = "ReliableRpc.Deadlines";

    /// <summary>
    /// Where the diagnostics are explained: the README's analyzer section. Relative to the repository root
    /// because the repository has no published address yet; make it absolute when it has one.
    /// </summary>
    public const string HelpLink = "README.md#retry-safety-at-build-time-the-analyzer";

    /// <summary>RRPC001: a grain interface method declares no retry safety.</summary>
    public static readonly DiagnosticDescriptor MissingRetrySafety = new(
        id: "RRPC001",
        title: "Grain method declares no retry safety",
        messageFormat: "'{0}' declares no retry safety: mark it [Idempotent] if running it twice changes nothing, " +
            "[AcceptsIdempotencyKey] if its grain de-duplicates calls by key, or [AtMostOnce] if it must never run twice; " +
            "unmarked, the pipeline never retries it after an unknown outcome, which is right only if that was chosen",
        category: RetrySafetyCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The pipeline retries a call whose outcome is unknown only when its method is safe to repeat. " +
            "Each grain interface method should say which it is, so that the choice is made, and reviewed, where the method is declared.",
        helpLinkUri: HelpLink);

    /// <summary>RRPC002: an idempotent mark on a method whose name says it adds or appends.</summary>
    public static readonly DiagnosticDescriptor IdempotentLooksCumulative = new(
        id: "RRPC002",
        title: "Idempotent mark on a method named like an increment or append",
        messageFormat: "'{0}' is marked [Idempotent] but its name says it adds or appends ('{1}'), and each repeat of such a call " +
            "applies again; use [AcceptsIdempotencyKey] and de-duplicate in the grain, or, if it de-duplicates by an id in its arguments, " +
            "suppress this warning with a justification",
        category: RetrySafetyCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A retried Deposit, Add or Append runs twice after a lost response. It is safe only if the grain recognises the repeat.",
        helpLinkUri: HelpLink);

    /// <summary>RRPC003: a grain interface method takes no <c>CancellationToken</c>.</summary>
    public static readonly DiagnosticDescriptor MissingCancellationToken = new(
        id: "RRPC003",
        title: "Grain method takes no CancellationToken",
        messageFormat: "'{0}' takes no CancellationToken: at its deadline the pipeline can only abandon the call while the grain " +
            "keeps working; add a 'CancellationToken cancellationToken = default' parameter",
        category: DeadlinesCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The pipeline cancels a method's token at the call's deadline, and Orleans uses it to drop a call still queued; " +
            "a method without one runs to its end even when nobody waits for its result. Either way its caller gets an " +
            "RpcDeadlineExceededException (a TimeoutException) at the deadline.",
        helpLinkUri: HelpLink);

    /// <summary>RRPC004: an at-most-once mark together with a mark that allows repeats.</summary>
    public static readonly DiagnosticDescriptor ContradictoryRetrySafety = new(
        id: "RRPC004",
        title: "At-most-once mark contradicted by another retry mark",
        messageFormat: "'{0}' is marked both [AtMostOnce] and [{1}]; the pipeline treats it as at-most-once: remove the mark that is wrong",
        category: RetrySafetyCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "At-most-once wins at run time, so the other mark only misleads a reader.",
        helpLinkUri: HelpLink);
}
