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
        var clients = new Option<string[]>("--client") { Description = "Client certificate name(s) (usage clientAuth).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["client"] };
        var days = CommonOptions.AtLeast("--days", "Validity of silo and client certificates, in days.", 90, 1);
        var caDays = CommonOptions.AtLeast("--ca-days", "Validity of a new CA, in days.", 3650, 1);
        var renew = new Option<bool>("--renew") { Description = "Re-issue the silo and client certificates even when they exist (same CA): rotation." };
        var command = new Command("certs", "Make a development CA and silo/client certificates for mutual TLS.") { output, silos, clients, days, caDays, renew };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(output)!;
            using var authority = DevCertificates.EnsureAuthority(directory, TimeSpan.FromDays(parse.GetValue(caDays)));
            AnsiConsole.MarkupLineInterpolated($"CA: {Path.Combine(directory, "ca.pem")} ({authority.Subject}, until {authority.NotAfter:yyyy-MM-dd})");
            var leaves = parse.GetValue(silos)!.Select(n => (Name: n, Role: TlsPeerRole.Silo))
                .Concat(parse.GetValue(clients)!.Select(n => (Name: n, Role: TlsPeerRole.Client)));
            foreach (var (name, role) in leaves)
            {
                var (certificate, _) = DevCertificates.Paths(directory, name);
                if (File.Exists(certificate) && !parse.GetValue(renew))
                {
                    AnsiConsole.MarkupLineInterpolated($"{role.ToString().ToLowerInvariant()}: {certificate} exists (--renew re-issues it)");
                    continue;
                }

                DevCertificates.Issue(authority, directory, name, role, TimeSpan.FromDays(parse.GetValue(days)));
                AnsiConsole.MarkupLineInterpolated($"{role.ToString().ToLowerInvariant()}: {certificate} issued for {parse.GetValue(days)} days");
            }

            return 0;
        });
        return command;
    }
}
