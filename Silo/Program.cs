using Microsoft.Extensions.Hosting;
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
