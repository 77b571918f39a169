using System.Diagnostics;

namespace ReliableRpc.Tests.Unit.Telemetry;

/// <summary>
/// The Prometheus alert rules in deploy/prometheus, checked and unit-tested with promtool (Debian package
/// "prometheus"; deploy/test.sh installs it).
/// </summary>
public class AlertRulesTests
{
    private static readonly string Rules = Path.Combine(RepositoryRoot.Path, "deploy", "prometheus");

    [Fact]
    public void AlertRules_AreValid() => Promtool("check", "rules", "alerts.yml");

    [Fact]
    public void AlertRules_FireOnSeriesThatShouldFireThemAndStayQuietOnOthers() => Promtool("test", "rules", "alerts.test.yml");

    [Fact]
    public void ScrapeConfig_IsValid() => Promtool("check", "config", "--syntax-only", "prometheus.yml");

    private static void Promtool(params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool", arguments) { WorkingDirectory = Rules, RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("promtool is not installed: run deploy/test.sh (it installs it) or 'apt-get install -y prometheus'");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000), "promtool did not finish in 60 s");
            Assert.True(process.ExitCode == 0, $"promtool {string.Join(' ', arguments)} failed:\n{output.Result}\n{error.Result}");
        }
    }
}
