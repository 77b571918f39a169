using System.Diagnostics;
using System.Globalization;
using ReliableRpc.Tests.Deploy;
using YamlDotNet.RepresentationModel;

namespace ReliableRpc.Tests.Unit.Deploy;

/// <summary>deploy/docker/compose.yaml against the Dockerfile and the silo's settings; yamllint over deploy/.</summary>
public class DockerComposeTests
{
    [Fact]
    public void Compose_BuildsEachImageFromItsDockerfileTarget()
    {
        var services = DeployFiles.Compose().Path("services");
        var targets = DeployFiles.DockerTargets();
        var built = services.Children.Values.OfType<YamlMappingNode>().Where(s => s.Has("build")).ToArray();
        Assert.NotEmpty(built);
        foreach (var service in built)
        {
            var target = service.Path("build").Str("target")!;
            Assert.Contains(target, targets);
            Assert.Equal($"reliablerpc/{target}", DeployFiles.Repository(service.Str("image")!));
        }
    }

    [Fact]
    public void Compose_RunsRedisThreeSilosAndTheLoad_WithoutAnInlinePassword()
    {
        var services = DeployFiles.Compose().Path("services");
        var silos = services.Children.Where(s => ((YamlMappingNode)s.Value).Str("image")?.StartsWith("reliablerpc/silo", StringComparison.Ordinal) == true).ToArray();
        Assert.Equal(3, silos.Length);
        Assert.True(services.Has("redis"));
        Assert.Contains("load", services.Path("load").Scalars("command"));

        foreach (var (name, node) in services.Children.Select(s => (((YamlScalarNode)s.Key).Value, (YamlMappingNode)s.Value)))
        {
            var values = node.Has("environment") ? node.Path("environment").Children.Values.OfType<YamlScalarNode>().Select(v => v.Value ?? "") : [];
            foreach (var text in values.Concat(node.Scalars("command")))
            {
                if (text.Contains("password", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.True(text.Contains("${REDIS_PASSWORD", StringComparison.Ordinal), $"{name}: '{text}' must take the password from ${{REDIS_PASSWORD}}");
                }
            }
        }

        foreach (var silo in silos.Select(s => (YamlMappingNode)s.Value))
        {
            var grace = silo.Str("stop_grace_period")!;
            Assert.True(TimeSpan.FromSeconds(double.Parse(grace.TrimEnd('s'), CultureInfo.InvariantCulture)) > KubernetesManifestTests.ShutdownTimeout(),
                $"stop_grace_period {grace} must exceed Silo:ShutdownTimeout");
        }
    }

    [Fact]
    public async Task DeployYaml_IsYamllintClean()
    {
        var start = new ProcessStartInfo("yamllint", ["-f", "parsable", "-c", Path.Combine(DeployFiles.Deploy, ".yamllint"), DeployFiles.Deploy])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("yamllint is not installed: run deploy/test.sh (it installs it) or 'apt-get install -y yamllint'");
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"yamllint deploy/:\n{await output}\n{await error}");
        }
    }
}
