using System.Globalization;
using System.Text.Json;
using ReliableRpc.Silo.Hosting;
using ReliableRpc.Client.Certs;
using ReliableRpc.Silo.Http;
using ReliableRpc.Tls;
using ReliableRpc.Tests.Deploy;
using YamlDotNet.RepresentationModel;

namespace ReliableRpc.Tests.Unit.Deploy;

/// <summary>The invariants of deploy/k8s that a reviewer would otherwise have to remember.</summary>
public class KubernetesManifestTests
{
    private static YamlMappingNode Silos => DeployFiles.Object("Deployment", "reliablerpc-silo");

    private static YamlMappingNode SiloContainer => Silos.Path("spec.template.spec").Items("containers").Single(c => c.Str("name") == "silo");

    [Fact]
    public void SiloDeployment_GracePeriod_OutlastsTheSilosShutdownTimeout()
    {
        var pod = Silos.Path("spec.template.spec");
        var grace = TimeSpan.FromSeconds(int.Parse(pod.Str("terminationGracePeriodSeconds")!, CultureInfo.InvariantCulture));
        var preStop = SiloContainer.Has("lifecycle") ? PreStopSleep(SiloContainer.Path("lifecycle.preStop")) : TimeSpan.Zero;
        var shutdown = Env(SiloContainer, "RELIABLERPC_Silo__ShutdownTimeout") is { } overridden ? TimeSpan.Parse(overridden, CultureInfo.InvariantCulture) : ShutdownTimeout();

        // The kubelet counts the preStop pause in the grace period; a margin covers the process' own exit.
        Assert.True(grace >= preStop + shutdown + TimeSpan.FromSeconds(5),
            $"terminationGracePeriodSeconds {grace.TotalSeconds} s must exceed preStop {preStop.TotalSeconds} s + Silo:ShutdownTimeout {shutdown.TotalSeconds} s + 5 s");
    }

    [Fact]
    public void SiloDeployment_RollingUpdate_StartsANewSiloBeforeStoppingAnOldOne()
    {
        var strategy = Silos.Path("spec.strategy");
        Assert.Equal("RollingUpdate", strategy.Str("type"));
        Assert.Equal("0", strategy.Path("rollingUpdate").Str("maxUnavailable"));
        Assert.Equal("1", strategy.Path("rollingUpdate").Str("maxSurge"));
    }

    [Fact]
    public void SiloProbes_UseThePathsAndThePortTheSiloServes()
    {
        var container = SiloContainer;
        var httpPort = Env(container, "RELIABLERPC_Http__Port");
        Assert.NotNull(httpPort);
        Assert.Equal("0.0.0.0", Env(container, "RELIABLERPC_Http__BindAddress"));
        var ports = container.Items("ports").ToDictionary(p => p.Str("name") ?? "", p => p.Str("containerPort"));

        foreach (var (probe, path) in new[] { ("startupProbe", SiloHttpEndpoints.LivenessPath), ("livenessProbe", SiloHttpEndpoints.LivenessPath), ("readinessProbe", SiloHttpEndpoints.ReadinessPath) })
        {
            var get = container.Path($"{probe}.httpGet");
            Assert.Equal(path, get.Str("path"));
            var port = get.Str("port")!;
            Assert.Equal(httpPort, ports.TryGetValue(port, out var number) ? number : port);
        }

        var annotations = Silos.Path("spec.template.metadata.annotations");
        Assert.Equal("true", annotations.Str("prometheus.io/scrape"));
        Assert.Equal(httpPort, annotations.Str("prometheus.io/port"));
        Assert.Equal(SiloHttpEndpoints.MetricsPath, annotations.Str("prometheus.io/path"));
    }

    [Fact]
    public void Containers_TakePasswordsFromSecrets_NeverInline()
    {
        var containers = YamlNodes.Containers(DeployFiles.Kubernetes).ToArray();
        Assert.NotEmpty(containers);
        foreach (var (owner, container) in containers)
        {
            var env = container.Items("env").ToArray();
            var fromSecrets = env.Where(e => e.Has("valueFrom") && e.Path("valueFrom").Has("secretKeyRef")).Select(e => e.Str("name")).ToHashSet();
            foreach (var variable in env)
            {
                var name = variable.Str("name")!;
                var where = $"{owner.Path("metadata").Str("name")}/{container.Str("name")} env {name}";
                if (name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || name.Contains("SECRET", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.True(fromSecrets.Contains(name), $"{where} must come from a secretKeyRef");
                }

                if (variable.Str("value") is { } value && value.Contains("password=", StringComparison.OrdinalIgnoreCase))
                {
                    var reference = value.Split("password=", StringSplitOptions.None)[1].Split(',')[0];
                    Assert.True(reference.StartsWith("$(", StringComparison.Ordinal) && fromSecrets.Contains(reference[2..^1]),
                        $"{where} writes a password inline; reference a secretKeyRef variable as $(NAME)");
                }
            }
        }

        // Certificates: mounted from a Secret, not baked into the image or a ConfigMap; the only Secret written out is
        // the one the overlay generates from the uncommitted password file.
        foreach (var (owner, _) in containers)
        {
            var tls = owner.Path("spec.template.spec").Items("volumes").Single(v => v.Str("name") == "tls");
            Assert.True(tls.Has("secret"), $"{owner.Path("metadata").Str("name")}: the TLS volume must be a Secret");
        }

        Assert.Equal(["reliablerpc-redis"], DeployFiles.Kubernetes.Where(o => o.Str("kind") == "Secret").Select(o => o.Path("metadata").Str("name")![..^11]));
    }

    [Fact]
    public void CertManagerCertificates_AskForWhatThePeerCheckRequires_AndFillTheSecretsThePodsMount()
    {
        // What ReliableRpc.Tls's peer check asks of each role, in cert-manager's words.
        var required = new Dictionary<string, (string[] Usages, string? Uri)>
        {
            ["reliablerpc-silo"] = (["server auth", "client auth"], MutualTlsOptions.DefaultSiloIdentity),
            ["reliablerpc-load"] = (["client auth"], MutualTlsOptions.DefaultClientIdentity),
            ["reliablerpc-redis"] = (["server auth"], null),
        };
        var certificates = DeployFiles.Kubernetes.Where(o => o.Str("kind") == "Certificate").ToArray();
        foreach (var (workload, (usages, uri)) in required)
        {
            var owner = DeployFiles.Kubernetes.Single(o => o.Str("kind") is "Deployment" or "StatefulSet" && o.Path("metadata").Str("name") == workload);
            var pod = owner.Path("spec.template.spec");
            var secret = pod.Items("volumes").Single(v => v.Str("name") == "tls").Path("secret").Str("secretName");
            var certificate = certificates.SingleOrDefault(c => c.Path("spec").Str("secretName") == secret)?.Path("spec")
                ?? throw new Xunit.Sdk.XunitException($"{workload} mounts the Secret {secret}, which no cert-manager Certificate fills");
            Assert.Superset(usages.ToHashSet(), certificate.Scalars("usages").ToHashSet());
            if (uri is not null)
            {
                Assert.Contains(uri, certificate.Scalars("uris"));
            }

            // Issued by the cluster's own CA: a CA Issuer whose Secret a CA Certificate fills.
            var issuer = DeployFiles.Object("Issuer", certificate.Path("issuerRef").Str("name")!);
            var authority = certificates.Single(c => c.Path("spec").Str("secretName") == issuer.Path("spec.ca").Str("secretName")).Path("spec");
            Assert.Equal("true", authority.Str("isCA"));

            // The files the pod reads from the mount are the ones cert-manager writes.
            var mount = pod.Items("containers").SelectMany(c => c.Items("volumeMounts")).First(m => m.Str("name") == "tls").Str("mountPath")!;
            var read = pod.Items("containers")
                .SelectMany(c => c.Items("env").Select(e => e.Str("value") ?? "").Concat(c.Scalars("args")))
                .Where(text => text.StartsWith(mount + "/", StringComparison.Ordinal))
                .Select(text => text[(mount.Length + 1)..])
                .ToHashSet();
            Assert.Equal(new HashSet<string> { DevCertificates.SecretFileNames.Certificate, DevCertificates.SecretFileNames.Key, DevCertificates.SecretFileNames.Authority }, read);
        }
    }

    [Fact]
    public void CertsJobOverlay_DiffersOnlyInWhoMakesTheCertificates_AndMakesEverySecretThePodsMount()
    {
        var certManager = DeployFiles.Kubernetes;
        var job = DeployFiles.Render(DeployFiles.CertsJobOverlay);
        static bool Certificates(YamlMappingNode o) => o.Str("kind") is "Certificate" or "Issuer" || o.Path("metadata").Str("name") == "reliablerpc-certs";
        Assert.Equal(certManager.Where(o => !Certificates(o)).Select(o => o.ToString()), job.Where(o => !Certificates(o)).Select(o => o.ToString()));

        var mounted = YamlNodes.Containers(job).Select(c => c.Owner).Distinct()
            .SelectMany(o => o.Path("spec.template.spec").Items("volumes"))
            .Where(v => v.Has("secret")).Select(v => v.Path("secret").Str("secretName")!)
            .ToHashSet();
        var pod = DeployFiles.Object(job, "Job", "reliablerpc-certs").Path("spec.template.spec");
        var created = pod.Items("containers").Select(c => c.Scalars("args").ToArray())
            .Where(args => args is ["create", "secret", "generic", ..])
            .Select(args => args[3])
            .ToHashSet();
        Assert.Equal(mounted, created);
        Assert.Equal(mounted, certManager.Where(o => o.Str("kind") == "Certificate").Select(c => c.Path("spec").Str("secretName")!).Where(n => n != "reliablerpc-ca").ToHashSet());
    }

    [Fact]
    public void Images_AreTheDockerfilesTargets()
    {
        var targets = DeployFiles.DockerTargets();
        Assert.Equal(["silo", "client"], targets);
        var ours = YamlNodes.Containers(DeployFiles.Kubernetes)
            .Select(c => DeployFiles.Repository(c.Container.Str("image")!))
            .Where(image => image.StartsWith("reliablerpc/", StringComparison.Ordinal))
            .ToHashSet();
        Assert.Equal(targets.Select(t => $"reliablerpc/{t}").ToHashSet(), ours);
    }

    [Fact]
    public void KubernetesHosting_IsOn_WithThePodFacts_LabelsAndPermissionsItNeeds()
    {
        var container = SiloContainer;
        Assert.Equal("true", Env(container, "RELIABLERPC_Silo__KubernetesHosting"));
        var fields = container.Items("env").Where(e => e.Has("valueFrom") && e.Path("valueFrom").Has("fieldRef"))
            .ToDictionary(e => e.Str("name")!, e => e.Path("valueFrom.fieldRef").Str("fieldPath"));
        Assert.Equal("metadata.name", fields["POD_NAME"]);
        Assert.Equal("metadata.namespace", fields["POD_NAMESPACE"]);
        Assert.Equal("status.podIP", fields["POD_IP"]);

        var config = DeployFiles.Object("ConfigMap", "reliablerpc-config").Path("data");
        var labels = Silos.Path("spec.template.metadata.labels");
        Assert.Equal(config.Str("cluster-id"), labels.Str("orleans/clusterId"));
        Assert.Equal(config.Str("service-id"), labels.Str("orleans/serviceId"));

        var pod = Silos.Path("spec.template.spec");
        var binding = DeployFiles.Object("RoleBinding", "reliablerpc-silo");
        Assert.Contains(binding.Items("subjects"), s => s.Str("kind") == "ServiceAccount" && s.Str("name") == pod.Str("serviceAccountName"));
        var role = DeployFiles.Object("Role", binding.Path("roleRef").Str("name")!);
        var podRule = role.Items("rules").Single(r => r.Scalars("resources").Contains("pods"));
        Assert.Superset(new HashSet<string> { "get", "list", "watch", "patch" }, podRule.Scalars("verbs").ToHashSet());
    }

    [Fact]
    public void PodDisruptionBudget_CoversTheSilos_OneAtATime()
    {
        var budget = DeployFiles.Object("PodDisruptionBudget", "reliablerpc-silo");
        Assert.Equal("1", budget.Path("spec").Str("maxUnavailable"));
        Assert.Equal(
            Silos.Path("spec.selector.matchLabels").Str("app.kubernetes.io/name"),
            budget.Path("spec.selector.matchLabels").Str("app.kubernetes.io/name"));
    }

    [Theory]
    [InlineData(DeployFiles.LocalOverlay)]
    [InlineData(DeployFiles.CertsJobOverlay)]
    public void Overlay_RendersWithKubectl_EverythingInItsNamespace(string overlay)
    {
        var objects = DeployFiles.Render(overlay);
        Assert.Contains(objects, o => o.Str("kind") == "Namespace");
        Assert.All(objects.Where(o => o.Str("kind") != "Namespace"), o => Assert.Equal("reliablerpc", o.Path("metadata").Str("namespace")));
    }

    /// <summary>Silo:ShutdownTimeout as the silo reads it: Silo/appsettings.json, else the option's default.</summary>
    internal static TimeSpan ShutdownTimeout()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Silo", "appsettings.json")));
        return settings.RootElement.TryGetProperty(SiloHostOptions.Section, out var silo) && silo.TryGetProperty(nameof(SiloHostOptions.ShutdownTimeout), out var timeout)
            ? TimeSpan.Parse(timeout.GetString()!, CultureInfo.InvariantCulture)
            : new SiloHostOptions().ShutdownTimeout;
    }

    private static string? Env(YamlMappingNode container, string name) =>
        container.Items("env").FirstOrDefault(e => e.Str("name") == name)?.Str("value");

    private static TimeSpan PreStopSleep(YamlMappingNode preStop) =>
        preStop.Has("sleep") ? TimeSpan.FromSeconds(int.Parse(preStop.Path("sleep").Str("seconds")!, CultureInfo.InvariantCulture))
        : preStop.Has("exec") && preStop.Path("exec").Scalars("command").ToArray() is ["sleep", var seconds] ? TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture))
        : throw new Xunit.Sdk.XunitException("a preStop hook other than a sleep: count its length in this test");
}
