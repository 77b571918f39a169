using ReliableRpc.Silo.Dashboard;
using ReliableRpc.Silo.Hosting;
using ReliableRpc.Silo.Http;

namespace ReliableRpc.Tests.Unit.Dashboard;

/// <summary>No admin page on the network without a credential, and the settings that cannot work are refused at start.</summary>
public class SiloDashboardOptionsTests
{
    private static readonly SiloHttpOptions LoopbackHttp = new() { Port = 9401 };
    private static readonly SiloHttpOptions OpenHttp = new() { Port = 8080, BindAddress = "0.0.0.0" };

    [Fact]
    public void Validate_Defaults_OnLoopback_Pass() => new SiloDashboardOptions().Validate(LoopbackHttp, 11111, 30000);

    [Fact]
    public void Validate_SharedHttpPortOnEveryAddress_WithoutCredential_NamesTheSettings()
    {
        var error = Assert.Throws<SiloConfigurationException>(() => new SiloDashboardOptions().Validate(OpenHttp, 11111, 30000));
        Assert.Contains("Http:BindAddress is 0.0.0.0", error.Message);
        Assert.Contains("Dashboard:Username", error.Message);
    }

    [Fact]
    public void Validate_OwnPortOnANetworkAddress_WithoutCredential_Throws()
    {
        var options = new SiloDashboardOptions { Port = 8081, BindAddress = "10.0.0.5" };
        var error = Assert.Throws<SiloConfigurationException>(() => options.Validate(LoopbackHttp, 11111, 30000));
        Assert.Contains("Dashboard:BindAddress is 10.0.0.5", error.Message);
    }

    [Fact]
    public void Validate_OwnLoopbackPort_BesideAnOpenHttpPort_Passes() =>
        new SiloDashboardOptions { Port = 8081 }.Validate(OpenHttp, 11111, 30000);

    [Fact]
    public void Validate_OpenWithCredential_Passes() =>
        new SiloDashboardOptions { Username = "ops", Password = "secret" }.Validate(OpenHttp, 11111, 30000);

    [Fact]
    public void Validate_OpenButDisabled_Passes() => new SiloDashboardOptions { Enabled = false }.Validate(OpenHttp, 11111, 30000);

    [Fact]
    public void Validate_UsernameWithoutPassword_Throws() =>
        Assert.Throws<SiloConfigurationException>(() => new SiloDashboardOptions { Username = "ops" }.Validate(LoopbackHttp, 11111, 30000));

    [Fact]
    public void Validate_OwnPortWithoutHttpServer_Throws() =>
        Assert.Throws<SiloConfigurationException>(() => new SiloDashboardOptions { Port = 8081 }.Validate(new SiloHttpOptions(), 11111, 30000));

    [Fact]
    public void Validate_OwnPortEqualToTheGateway_Throws() =>
        Assert.Throws<SiloConfigurationException>(() => new SiloDashboardOptions { Port = 30000 }.Validate(LoopbackHttp, 11111, 30000));
}
