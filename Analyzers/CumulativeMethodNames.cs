using System;

namespace ReliableRpc.Analyzers;

/// <summary>
/// Recognises method names that say each call adds to what is there (a deposit, an append, an increment): the
/// kind of method that is rarely idempotent, and that RRPC002 questions when it is marked so.
/// </summary>
internal static class CumulativeMethodNames
{
    // Verbs whose repetition applies again. "Set", "Apply", "Upsert" and the like are left out: they usually converge.
    private static readonly string[] Verbs =
    {
        "Add", "Append", "Insert", "Push", "Enqueue",
        "Increment", "Decrement", "Increase", "Decrease",
        "Deposit", "Withdraw", "Credit", "Debit", "Charge",
    };

    /// <summary>The verb <paramref name="methodName"/> starts with as a whole word (so "AddItem", not "Address"), or null.</summary>
    public static string? CumulativeVerb(string methodName)
    {
        foreach (var verb in Verbs)
        {
            if (methodName.StartsWith(verb, StringComparison.Ordinal)
                && (methodName.Length == verb.Length || !char.IsLower(methodName[verb.Length])))
            {
                return verb;
            }
        }

        return null;
    }
}
