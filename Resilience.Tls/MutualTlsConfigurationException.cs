namespace ReliableRpc.Tls;

/// <summary>The TLS settings are incomplete or their files unusable; the message names the setting and the file.</summary>
public sealed class MutualTlsConfigurationException(string message) : Exception(message);
