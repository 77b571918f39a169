namespace ReliableRpc.Tls;

/// <summary>What a peer certificate must prove: which end of a link it may stand at.</summary>
public enum TlsPeerRole
{
    /// <summary>A silo: SAN URI <see cref="MutualTlsOptions.SiloIdentity"/>, usages serverAuth and clientAuth (it also dials other silos).</summary>
    Silo,

    /// <summary>A client at a gateway: SAN URI <see cref="MutualTlsOptions.ClientIdentity"/>, usage clientAuth.</summary>
    Client,
}
