namespace ReliableRpc;

/// <summary>
/// Orleans 10 throws <c>SiloUnavailableException</c> both when a request was never sent and when its target
/// died with it in flight, with no flag to tell them apart; only the messages differ. This table lists the
/// messages (Orleans 10.4.2) that prove the request never reached a method; any other is an unknown outcome.
/// It is tested message by message, so an Orleans upgrade that rewords one fails the tests, not production.
/// </summary>
internal static class SiloUnavailableOutcome
{
    private static readonly string[] NeverSentFragments =
    [
        // MessageCenter / connections: rejected, with a default-constructed exception, before delivery.
        "Silo unavailable",
        // PlacementService on a stopping silo: "Silo 'S…' is shutting down." — the grain was never placed.
        "' is shutting down.",
        // GatewayManager: the client has no gateway to send to.
        "Could not find any gateway",
        // Placement directors: nowhere to place the grain.
        "no compatible silos",
    ];

    /// <summary>True when <paramref name="message"/> proves the request was never delivered.</summary>
    public static bool NeverSent(string message)
    {
        if (message.Equals(NeverSentFragments[0], StringComparison.Ordinal))
        {
            return true;
        }

        for (var i = 1; i < NeverSentFragments.Length; i++)
        {
            if (message.Contains(NeverSentFragments[i], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
