using System.CommandLine;
using ReliableRpc.Client.Certs;
using ReliableRpc.Tls;
using Spectre.Console;

namespace ReliableRpc.Client.Commands;

/// <summary>
/// <c>certs</c>: a development CA and silo/client certificates in a directory. The CA is made once and kept;
/// leaf certificates are made when missing, or all re-issued by the same CA with <c>--renew</c> (rotation).
/// </summary>
internal static class CertsCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Directory of the files (ca.pem, ca.key, NAME.pem, NAME.key).", DefaultValueFactory = _ => ".run/certs" };
        var silos = new Option<string[]>("--silo") { Description = "Silo certificate name(s) (usages serverAuth+clientAuth).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["silo"] };
        var servers = new Option<string[]>("--server")
        {
            Description = "Server certificate name(s) for servers that are not peers, such as Redis (usage serverAuth, no silo or client identity).",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [],
        };
        var clients = new Option<string[]>("--client") { Description = "Client certificate name(s) (usage clientAuth).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["client"] };
        var days = CommonOptions.AtLeast("--days", "Validity of silo and client certificates, in days.", 90, 1);
        var caDays = CommonOptions.AtLeast("--ca-days", "Validity of a new CA, in days.", 3650, 1);
        var renew = new Option<bool>("--renew") { Description = "Re-issue the silo and client certificates even when they exist (same CA): rotation." };
        var secrets = new Option<bool>("--secrets")
        {
            Description = "Also write each certificate as a folder NAME/ holding tls.crt, tls.key and ca.crt: one Secret's files, as the Kubernetes and compose files mount them.",
        };
        var groupReadable = new Option<bool>("--group-readable") { Description = "With --secrets: the folders' keys are mode 640, not 600 (a server running as another user of the same group)." };
        var command = new Command("certs", "Make a development CA and silo/client certificates for mutual TLS.") { output, silos, clients, servers, days, caDays, renew, secrets, groupReadable };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(output)!;
            using var authority = DevCertificates.EnsureAuthority(directory, TimeSpan.FromDays(parse.GetValue(caDays)));
            AnsiConsole.MarkupLineInterpolated($"CA: {Path.Combine(directory, "ca.pem")} ({authority.Subject}, until {authority.NotAfter:yyyy-MM-dd})");
            var leaves = parse.GetValue(silos)!.Select(n => (Name: n, Role: (TlsPeerRole?)TlsPeerRole.Silo))
                .Concat(parse.GetValue(clients)!.Select(n => (Name: n, Role: (TlsPeerRole?)TlsPeerRole.Client)))
                .Concat(parse.GetValue(servers)!.Select(n => (Name: n, Role: (TlsPeerRole?)null)));
            foreach (var (name, role) in leaves)
            {
                var (certificate, _) = DevCertificates.Paths(directory, name);
                if (File.Exists(certificate) && !parse.GetValue(renew))
                {
                    AnsiConsole.MarkupLineInterpolated($"{Kind(role)}: {certificate} exists (--renew re-issues it)");
                }
                else
                {
                    var lifetime = TimeSpan.FromDays(parse.GetValue(days));
                    _ = role is { } peer
                        ? DevCertificates.Issue(authority, directory, name, peer, lifetime)
                        : DevCertificates.IssueServer(authority, directory, name, lifetime);
                    AnsiConsole.MarkupLineInterpolated($"{Kind(role)}: {certificate} issued for {parse.GetValue(days)} days");
                }

                if (parse.GetValue(secrets))
                {
                    var folder = DevCertificates.WriteSecretFolder(directory, name, parse.GetValue(groupReadable));
                    AnsiConsole.MarkupLineInterpolated($"{Kind(role)}: {folder}/ (tls.crt, tls.key, ca.crt)");
                }
            }

            return 0;
        });
        return command;
    }

    private static string Kind(TlsPeerRole? role) => role?.ToString().ToLowerInvariant() ?? "server";
}
