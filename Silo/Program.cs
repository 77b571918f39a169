using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReliableRpc.Silo.Hosting;

// SIGTERM and Ctrl+C stop the host gracefully: the silo finishes or hands back its work,
// deactivates its grains (state written) and leaves membership before the process exits.
try
{
    using var host = SiloHostBuilder.Build(args);
    await host.RunAsync();
    return 0;
}
catch (SiloConfigurationException configurationError)
{
    Console.Error.WriteLine($"silo: {configurationError.Message}");
    return 2;
}
catch (OptionsValidationException invalid)
{
    // Options validated at start (ValidateOnStart: the pipeline, blobs) name the setting in their failures.
    Console.Error.WriteLine($"silo: invalid configuration: {string.Join("; ", invalid.Failures)}");
    return 2;
}
