namespace ReliableRpc;

/// <summary>
/// Gives a grain interface method its own deadline, used when the caller sets none
/// (see <see cref="RpcCall.Deadline(TimeSpan)"/>); otherwise Orleans' <see cref="Orleans.ResponseTimeoutAttribute"/> on the
/// method, else the configured default, applies.
/// </summary>
/// <remarks>Choose it well above the method's observed p99.9 latency: only about one call in a thousand should come near it.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class DeadlineAttribute : Attribute
{
    /// <summary>Sets the method's deadline in milliseconds.</summary>
    /// <param name="milliseconds">The deadline; must be positive.</param>
    public DeadlineAttribute(int milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(milliseconds);
        Deadline = TimeSpan.FromMilliseconds(milliseconds);
    }

    /// <summary>The method's deadline.</summary>
    public TimeSpan Deadline { get; }
}
