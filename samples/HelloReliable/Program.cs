// HelloReliable: a silo and a client in one process, using ReliableRpc from its NuGet package.
// The first call to Hello fails the way a silo that is going away fails a call; the pipeline retries it,
// because the method is marked [Idempotent], and the caller sees only the answer.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReliableRpc;

var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering()
    .AddReliableRpc()
    .UseReliableRpcClusterDefaults());

using var host = builder.Build();
await host.StartAsync();

var greeter = host.Services.GetRequiredService<IClusterClient>().GetGrain<IGreeterGrain>("world");
Console.WriteLine(await greeter.Hello());
Console.WriteLine($"the grain ran {await greeter.Runs()} times for one call");

await host.StopAsync();

/// <summary>A greeter. Every grain method says whether running it twice is safe: the analyzer asks.</summary>
public interface IGreeterGrain : IGrainWithStringKey
{
    /// <summary>Says hello. Running it twice changes nothing, so the pipeline may retry it.</summary>
    [Idempotent]
    Task<string> Hello(CancellationToken cancellationToken = default);

    /// <summary>How many times Hello ran.</summary>
    [Idempotent]
    Task<int> Runs(CancellationToken cancellationToken = default);
}

/// <summary>Fails its first call as an unavailable silo would, then answers.</summary>
public sealed class GreeterGrain : Grain, IGreeterGrain
{
    private int _runs;

    public Task<string> Hello(CancellationToken cancellationToken) =>
        ++_runs == 1
            ? throw new RpcException(RpcStatus.Unavailable, "the first call fails, as during a silo's restart")
            : Task.FromResult($"hello, {this.GetPrimaryKeyString()}");

    public Task<int> Runs(CancellationToken cancellationToken) => Task.FromResult(_runs);
}
