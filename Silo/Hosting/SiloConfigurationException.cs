namespace ReliableRpc.Silo.Hosting;

/// <summary>A setting is missing or wrong; the message names it. The silo does not start.</summary>
public sealed class SiloConfigurationException(string message) : Exception(message);
