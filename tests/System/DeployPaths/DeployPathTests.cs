using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ReliableRpc.Tests.Deploy;
using ReliableRpc.Tests.System.Infrastructure;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace ReliableRpc.Tests.System.DeployPaths;

/// <summary>
/// Starts what the deploy files describe: the compose file, and the Kubernetes overlay whose certificates the certs
/// Job makes. Images cannot be pulled here, so each container is a local process of the published Silo or Client (or
/// the machine's redis-server) with the container's own command, environment and mounted files, changed only by
/// <see cref="LocalSubstitutions"/>. Three silos must join on Redis over TLS with mutual TLS between them, answer
/// /ready, and serve the file's load (shortened) with no failed call. A manifest change that breaks a start fails here.
/// </summary>
public sealed partial class DeployPathTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Kubernetes_TheCertsJobOverlay_StartsThreeSilosThatServeTheLoad()
    {
        var objects = DeployFiles.Render(DeployFiles.CertsJobOverlay);
        await using var run = new LocalRun();
        var redisService = DeployFiles.Object(objects, "Service", "reliablerpc-redis");
        var local = new LocalSubstitutions(run.Root)
        {
            RedisEndpoints = [$"{redisService.Path("metadata").Str("name")}:{redisService.Path("spec").Items("ports").Single().Str("port")}"],
        };

        // The Job: its init container makes the certificates, its kubectl containers make the Secrets from them.
        var job = DeployFiles.Object(objects, "Job", "reliablerpc-certs");
        var jobFolders = new Dictionary<string, string>();
        foreach (var init in KubernetesContainers.Read(objects, job, "initContainers", 0, local, jobFolders))
        {
            var certs = await run.RunToEndAsync(local.Apply(init, new Dictionary<string, int>()), TimeSpan.FromMinutes(1));
            Assert.True(certs.ExitCode == 0, $"{init.Name} failed:\n{certs.Tail()}");
        }

        foreach (var container in KubernetesContainers.Read(objects, job, "containers", 0, local, jobFolders))
        {
            local.CreateSecret(container);
        }

        var redis = KubernetesContainers.Read(objects, DeployFiles.Object(objects, "StatefulSet", "reliablerpc-redis"), "containers", 0, local, []).Single();
        await run.StartAsync(local.Apply(redis, new Dictionary<string, int>()), "Ready to accept connections");

        var deployment = DeployFiles.Object(objects, "Deployment", "reliablerpc-silo");
        var replicas = int.Parse(deployment.Path("spec").Str("replicas")!, CultureInfo.InvariantCulture);
        Assert.Equal(3, replicas);
        var silos = Enumerable.Range(0, replicas)
            .Select(i => local.Apply(KubernetesContainers.Read(objects, deployment, "containers", i, local, []).Single(), new Dictionary<string, int>()))
            .ToArray();

        var load = KubernetesContainers.Read(objects, DeployFiles.Object(objects, "Deployment", "reliablerpc-load"), "containers", 0, local, []).Single();
        await StartSilosAndRunTheLoadAsync(run, silos, local.Apply(load, new Dictionary<string, int>()));
    }

    [Fact]
    public async Task Compose_StartsThreeSilosThatServeTheLoad()
    {
        var compose = DeployFiles.Compose();
        await using var run = new LocalRun();
        var variables = new Dictionary<string, string> { ["REDIS_PASSWORD"] = Convert.ToHexString(global::System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)) };
        var redisCommand = compose.Path("services.redis").Scalars("command").ToArray();
        var local = new LocalSubstitutions(run.Root) { RedisEndpoints = [$"redis:{redisCommand[Array.IndexOf(redisCommand, "--tls-port") + 1]}"] };
        var volumes = new Dictionary<string, string>();
        ContainerSpec Service(string name) => local.Apply(ComposeServices.Read(compose, name, variables, local, volumes), new Dictionary<string, int>());

        var certs = await run.RunToEndAsync(Service("certs"), TimeSpan.FromMinutes(1));
        Assert.True(certs.ExitCode == 0, $"compose/certs failed:\n{certs.Tail()}");
        await run.StartAsync(Service("redis"), "Ready to accept connections");

        var siloServices = compose.Path("services").Children
            .Where(s => DeployFiles.Repository(((YamlMappingNode)s.Value).Str("image")!) == "reliablerpc/silo")
            .Select(s => ((YamlScalarNode)s.Key).Value!)
            .ToArray();
        Assert.Equal(3, siloServices.Length);
        await StartSilosAndRunTheLoadAsync(run, siloServices.Select(Service).ToArray(), Service("load"));
    }

    private async Task StartSilosAndRunTheLoadAsync(LocalRun run, ContainerSpec[] silos, ContainerSpec load)
    {
        var started = await Task.WhenAll(silos.Select(s => run.StartAsync(s, "Application started")));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var (spec, process) in silos.Zip(started))
        {
            // Mutual TLS on the silo's own links and TLS to Redis: the start banner warns when either is plain.
            Assert.DoesNotContain("PLAIN TCP", process.Output);
            Assert.DoesNotContain("is not encrypted", process.Output);
            var ready = $"http://127.0.0.1:{spec.Environment["RELIABLERPC_Http__Port"]}/ready";
            Assert.True(await AnswersOkAsync(http, ready), $"{spec.Name}: {ready} did not answer 200 within 30 s:\n{process.Tail()}");
            output.WriteLine($"{spec.Name}: ready at {ready}");
        }

        var client = await run.RunToEndAsync(load, LoadTimeout);
        var succeeded = Succeeded().Match(client.Output) is { Success: true } m ? long.Parse(m.Groups["n"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 0;
        output.WriteLine($"{load.Name}: exit {client.ExitCode}, {succeeded} calls succeeded");
        Assert.True(client.ExitCode == 0, $"{load.Name} exited {client.ExitCode} (1: a call failed):\n{client.Tail(60)}");
        Assert.True(succeeded > 0, $"{load.Name} made no call:\n{client.Tail(60)}");
        Assert.All(started, s => Assert.False(s.HasExited, $"a silo stopped during the load:\n{s.Tail()}"));
    }

    private static async Task<bool> AnswersOkAsync(HttpClient http, string url)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(url)).StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        return false;
    }

    [GeneratedRegex(@"succeeded\W+(?<n>[\d,]+)")]
    private static partial Regex Succeeded();
}
