using Orleans.Concurrency;

namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>Which activation of a stateless worker served a call.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Tests.Compatibility.WorkerActivation")]
public sealed record WorkerActivation([property: Id(0)] SiloAddress Silo, [property: Id(1)] Guid Activation);

/// <summary>As Orleans' IStatelessWorkerGrain: at most <see cref="StatelessWorkerTestGrain.MaxLocalWorkers"/> activations per silo.</summary>
public interface IStatelessWorkerTestGrain : IGrainWithIntegerKey
{
    Task<WorkerActivation> Work(TimeSpan duration);
}

[StatelessWorker(MaxLocalWorkers)]
public sealed class StatelessWorkerTestGrain : LocatedGrain, IStatelessWorkerTestGrain
{
    public const int MaxLocalWorkers = 2;

    private readonly Guid _activation = Guid.NewGuid();

    public async Task<WorkerActivation> Work(TimeSpan duration)
    {
        await Task.Delay(duration);
        return new WorkerActivation(await Where(), _activation);
    }
}
