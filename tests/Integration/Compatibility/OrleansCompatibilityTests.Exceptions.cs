using ReliableRpc.Tests.Integration.Compatibility.Grains;

namespace ReliableRpc.Tests.Integration.Compatibility;

public sealed partial class OrleansCompatibilityTests
{
    /// <summary>A chain client → A → B → C whose hops alternate between the two silos.</summary>
    private async Task<List<IChainGrain>> ChainAsync(bool pipeline)
    {
        var silos = Placement.Silos(Cluster(pipeline));
        var chain = new List<IChainGrain>();
        for (var hop = 0; hop < 3; hop++)
        {
            chain.Add(await Placement.On(Client(pipeline).GetGrain<IChainGrain>(Guid.NewGuid()), silos[hop % 2]));
        }

        return chain;
    }

    private async Task<Exception> ThrownThroughChainAsync(bool pipeline, int throwAt, Failure failure)
    {
        var chain = await ChainAsync(pipeline);
        var exception = await Record.ExceptionAsync(() => chain[0].Relay(chain[1..], hop: 0, throwAt, failure).WaitAsync(Bound));
        output.WriteLine($"{Name(pipeline)}, thrown at hop {throwAt}: {exception}");
        Assert.NotNull(exception);
        return exception;
    }

    // Mirrors dotnet/orleans test/Orleans.Runtime.Tests/ExceptionPropagationTests.cs: ExceptionsPropagatedFromGrainToClient
    // and GrainForwardingExceptionPropagation (the exception forwarded through grain calls), over three hops.
    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public async Task InvalidOperationException_thrown_at_any_hop_arrives_with_its_type_message_and_inner_exception(bool pipeline, int throwAt)
    {
        var exception = await ThrownThroughChainAsync(pipeline, throwAt, Failure.InvalidOperation);

        var thrown = Assert.IsType<InvalidOperationException>(exception);
        Assert.Equal(ChainGrain.Message(throwAt), thrown.Message);
        var inner = Assert.IsType<ArgumentException>(thrown.InnerException);
        Assert.Equal(ChainGrain.InnerMessage, inner.Message);
    }

    // Mirrors dotnet/orleans test/Orleans.Runtime.Tests/ExceptionPropagationTests.cs: BasicExceptionPropagation, with an
    // exception type of the application's own ([GenerateSerializer]) instead of a framework one.
    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public async Task Custom_exception_thrown_at_any_hop_arrives_with_its_type_fields_and_inner_exception(bool pipeline, int throwAt)
    {
        var exception = await ThrownThroughChainAsync(pipeline, throwAt, Failure.Custom);

        var thrown = Assert.IsType<ChainTestException>(exception);
        Assert.Equal(ChainGrain.Message(throwAt), thrown.Message);
        Assert.Equal(42, thrown.Code);
        var inner = Assert.IsType<FormatException>(thrown.InnerException);
        Assert.Equal(ChainGrain.InnerMessage, inner.Message);
    }

    // Mirrors dotnet/orleans test/Orleans.Runtime.Tests/ExceptionPropagationTests.cs: ExceptionPropagationDoesNotUnwrapAggregateExceptions
    // and GrainForwardingExceptionPropagationDoesNotUnwrapAggregateExceptions.
    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public async Task AggregateException_thrown_at_any_hop_arrives_as_AggregateException_not_unwrapped(bool pipeline, int throwAt)
    {
        var exception = await ThrownThroughChainAsync(pipeline, throwAt, Failure.Aggregate);

        var aggregate = Assert.IsType<AggregateException>(exception);
        var inner = Assert.IsType<InvalidOperationException>(Assert.Single(aggregate.InnerExceptions));
        Assert.Equal(ChainGrain.Message(throwAt), inner.Message);
    }

    // Mirrors dotnet/orleans test/Orleans.Runtime.Tests/ExceptionPropagationTests.cs: ExceptionContainsOriginalStackTraceWhenRethrowingLocally
    // (catch (InvalidOperationException) around a grain call), done inside a grain whose callee is on the other silo.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_grain_catching_its_callees_exception_by_type_returns_normally(bool pipeline)
    {
        var chain = await ChainAsync(pipeline);

        var result = await chain[0].CatchCalleeFailure(chain[1]).WaitAsync(Bound);

        Assert.Equal($"caught: {ChainGrain.Message(0)}", result);
    }
}
