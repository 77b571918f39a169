namespace ReliableRpc;

/// <summary>
/// Orleans 10 throws <c>SiloUnavailableException</c> both when a request was never sent and when its target
/// died with it in flight, with no flag to tell them apart; only the messages differ. This table lists the
/// messages (Orleans 10.4.2) that prove the request never reached a method; any other is an unknown outcome.
/// It is tested message by message, so an Orleans upgrade that rewords one fails the tests, not production.
/// </summary>
/// <remarks>
/// The bare "Silo unavailable" is not on the list: a silo's connection that terminates fails the batch it was
/// writing with it (<c>SiloConnection.FailMessage</c>), and that batch may have reached its target; the same text
/// also says "target known to be dead". Each message is matched whole, from its start, so a grain key inside another
/// message (Orleans prints the request in some) can never make it look like one of these.
/// </remarks>
internal static class SiloUnavailableOutcome
{
    /// <summary>True when <paramref name="message"/> proves the request was never delivered.</summary>
    public static bool NeverSent(string message) =>

        // PlacementService on a stopping silo: "Silo 'S…' is shutting down." — the grain was never placed.
        IsQuoted(message, "Silo '", "' is shutting down.")

        // GatewayManager: the client has no gateway to send to.
        || message.StartsWith("Could not find any gateway in '", StringComparison.Ordinal)

        // Placement directors: nowhere to place the grain.
        || message.Equals("Unable to select a candidate because there are no compatible silos.", StringComparison.Ordinal)
        || IsQuoted(message, "Cannot place grain '", "' because there are no compatible silos.");

    /// <summary>True for exactly <paramref name="prefix"/>, one quoted value without quotes, then <paramref name="suffix"/>.</summary>
    private static bool IsQuoted(string message, string prefix, string suffix) =>
        message.Length > prefix.Length + suffix.Length
        && message.StartsWith(prefix, StringComparison.Ordinal)
        && message.EndsWith(suffix, StringComparison.Ordinal)
        && message.AsSpan(prefix.Length, message.Length - prefix.Length - suffix.Length).IndexOf('\'') < 0;
}
