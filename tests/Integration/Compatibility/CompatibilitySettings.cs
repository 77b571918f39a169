namespace ReliableRpc.Tests.Integration.Compatibility;

/// <summary>The configuration keys and values the compatibility clusters and clients are built from.</summary>
internal static class CompatibilitySettings
{
    /// <summary>"on" adds the pipeline to silos and clients; anything else leaves plain Orleans.</summary>
    public const string Pipeline = "Compatibility:Pipeline";

    /// <summary>Where a client registers <see cref="UserRetryFilter"/>: a <see cref="UserFilterOrder"/> name; absent means no user filter.</summary>
    public const string UserFilter = "Compatibility:UserFilter";

    /// <summary>Orleans' response timeout on both clusters, and the pipeline's default deadline: short, so timeout cases are fast.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The pipeline's MaxDeadline: Orleans' response timeout with the pipeline on is this + 2 s.</summary>
    public static readonly TimeSpan PipelineMaxDeadline = TimeSpan.FromSeconds(5);

    /// <summary>Orleans' response timeout with the pipeline on: raised to MaxDeadline + 2 s (a documented difference).</summary>
    public static readonly TimeSpan PipelineResponseTimeout = PipelineMaxDeadline + TimeSpan.FromSeconds(2);
}

/// <summary>Where a client's user filter sits relative to <c>AddReliableRpc</c>.</summary>
public enum UserFilterOrder
{
    /// <summary>Registered before <c>AddReliableRpc</c> (or alone, on plain Orleans).</summary>
    BeforePipeline,

    /// <summary>Registered after <c>AddReliableRpc</c>.</summary>
    AfterPipeline,
}
