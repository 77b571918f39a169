namespace ReliableRpc;

/// <summary>Selects the retry profile of a grain interface method (see <see cref="RetryOptions.Profiles"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RetryProfileAttribute(string profile) : Attribute
{
    /// <summary>The profile's name.</summary>
    public string Profile { get; } = profile;
}
