using Microsoft.Extensions.DependencyInjection;
using ReliableRpc.Tests.Integration.Compatibility.Grains;

namespace ReliableRpc.Tests.Integration.Compatibility;

public sealed partial class OrleansCompatibilityTests
{
    /// <summary>A client of its own with <see cref="UserRetryFilter"/> registered in <paramref name="order"/>.</summary>
    private Task<ExtraClient> ClientWithUserFilterAsync(bool pipeline, UserFilterOrder order) =>
        fixture.StartClientAsync(pipeline, new Dictionary<string, string?> { [CompatibilitySettings.UserFilter] = order.ToString() });

    // Mirrors dotnet/orleans test/Orleans.Runtime.Tests/GrainCallFilterTests.cs: GrainCallFilter_Outgoing_Retry_Test
    // (the client's RetryCertainCalls filter catches the failure from await ctx.Invoke() and invokes again).
    // On plain Orleans "before" and "after" are the same registration; with the pipeline both orders are covered,
    // "before" being the one that was broken (the filter saw the call return with the failure in context.Response).
    [Theory]
    [InlineData(false, UserFilterOrder.BeforePipeline)]
    [InlineData(true, UserFilterOrder.BeforePipeline)]
    [InlineData(true, UserFilterOrder.AfterPipeline)]
    public async Task A_user_filter_that_retries_a_failed_call_gets_success_and_the_grain_runs_twice(bool pipeline, UserFilterOrder order)
    {
        await using var client = await ClientWithUserFilterAsync(pipeline, order);
        var log = client.Services.GetRequiredService<UserFilterLog>();
        var grain = client.Client.GetGrain<IFlakyGrain>(Guid.NewGuid());

        var result = await Record.ExceptionAsync(async () => Assert.Equal(2, await grain.FailsOnFirstCall().WaitAsync(Bound)));

        output.WriteLine($"{Name(pipeline)}, filter {order}: call {(result is null ? "succeeded" : $"failed: {result}")}");
        output.WriteLine($"caught by the filter: {string.Join("; ", log.Caught.Select(c => $"{c.Method}: {c.Exception.GetType().Name}"))}");
        output.WriteLine($"returned with a failure in Response: {string.Join("; ", log.ReturnedWithFailure.Select(c => $"{c.Method}: {c.Exception.GetType().Name}"))}");
        Assert.Null(result);
        Assert.Equal(2, await grain.Runs().WaitAsync(Bound));
        var caught = Assert.Single(log.Caught);
        Assert.IsType<InvalidOperationException>(caught.Exception);
        Assert.Equal(FlakyGrain.FirstCallMessage, caught.Exception.Message);
        Assert.Empty(log.ReturnedWithFailure);
    }

    // Mirrors dotnet/orleans test/Orleans.Runtime.Tests/GrainCallFilterTests.cs: GrainCallFilter_Outgoing_Retry_Test (its
    // last assertion: a call the filter does not fix throws ArgumentOutOfRangeException at the caller, rethrown by the
    // filter's catch).
    [Theory]
    [InlineData(false, UserFilterOrder.BeforePipeline)]
    [InlineData(true, UserFilterOrder.BeforePipeline)]
    [InlineData(true, UserFilterOrder.AfterPipeline)]
    public async Task A_user_filter_sees_a_failed_call_throw_from_Invoke(bool pipeline, UserFilterOrder order)
    {
        await using var client = await ClientWithUserFilterAsync(pipeline, order);
        var log = client.Services.GetRequiredService<UserFilterLog>();
        var grain = client.Client.GetGrain<IFlakyGrain>(Guid.NewGuid());

        var exception = await Record.ExceptionAsync(() => grain.AlwaysFails().WaitAsync(Bound));

        output.WriteLine($"{Name(pipeline)}, filter {order}: caller got {exception}");
        output.WriteLine($"caught by the filter: {string.Join("; ", log.Caught.Select(c => $"{c.Method}: {c.Exception.GetType().Name}"))}");
        output.WriteLine($"returned with a failure in Response: {string.Join("; ", log.ReturnedWithFailure.Select(c => $"{c.Method}: {c.Exception.GetType().Name}"))}");
        Assert.Empty(log.ReturnedWithFailure);
        var caught = Assert.Single(log.Caught);
        Assert.Equal(nameof(IFlakyGrain.AlwaysFails), caught.Method);
        Assert.IsType<InvalidOperationException>(caught.Exception);
        Assert.Equal(FlakyGrain.AlwaysMessage, caught.Exception.Message);
        Assert.IsType<InvalidOperationException>(exception);
    }
}
