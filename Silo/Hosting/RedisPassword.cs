using Microsoft.Extensions.Configuration;

namespace ReliableRpc.Silo.Hosting;

/// <summary>
/// The Redis password, from configuration (<c>Redis:Password</c>, e.g. <c>RELIABLERPC_Redis__Password</c>) or a file
/// (<c>Redis:PasswordFile</c>), so it need not be on a command line, where every local user can read it. It is
/// never logged: the start banner shows the endpoints only.
/// </summary>
internal static class RedisPassword
{
    public const string Section = "Redis";

    public static string? Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var password = section["Password"];
        var file = section["PasswordFile"];
        if (!string.IsNullOrEmpty(password) && !string.IsNullOrWhiteSpace(file))
        {
            throw new SiloConfigurationException("Redis:Password and Redis:PasswordFile are both set; set one.");
        }

        if (string.IsNullOrWhiteSpace(file))
        {
            return string.IsNullOrEmpty(password) ? null : password;
        }

        if (!File.Exists(file))
        {
            throw new SiloConfigurationException($"Redis:PasswordFile: file '{file}' does not exist.");
        }

        var text = File.ReadAllText(file).TrimEnd('\r', '\n');
        return text.Length > 0 ? text : throw new SiloConfigurationException($"Redis:PasswordFile: '{file}' is empty.");
    }
}
