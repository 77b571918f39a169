namespace ReliableRpc;

/// <summary>The pipeline's options, one section per concern. Bind from the "ReliableRpc" configuration section.</summary>
public sealed class ReliableRpcOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "ReliableRpc";

    /// <summary>
    /// Turns the pipeline on. With false, <c>AddReliableRpc</c> registers no filter at all and calls run as in
    /// plain Orleans. The default value is true.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Deadlines.</summary>
    public DeadlineOptions Deadlines { get; set; } = new();

    /// <summary>Retries.</summary>
    public RetryOptions Retries { get; set; } = new();

    /// <summary>Idempotency records (silos).</summary>
    public IdempotencyOptions Idempotency { get; set; } = new();

    /// <summary>Circuit breaking.</summary>
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>Overload shedding (silos).</summary>
    public SheddingOptions Shedding { get; set; } = new();

    /// <summary>The storage gate (silos).</summary>
    public StorageGateOptions StorageGate { get; set; } = new();

    /// <summary>Graceful stops (silos).</summary>
    public DrainOptions Drain { get; set; } = new();

    /// <summary>Request and response size limits.</summary>
    public MessageSizeOptions MessageSize { get; set; } = new();
}
