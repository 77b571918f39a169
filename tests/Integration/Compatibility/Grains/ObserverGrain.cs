using System.Diagnostics;

namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>A client-side observer, as Orleans' ISimpleGrainObserver, with a Task result so the grain sees failures.</summary>
public interface ITestObserver : IGrainObserver
{
    Task OnNotify(string message);
}

/// <summary>What a grain saw when it called an observer.</summary>
[GenerateSerializer]
[Alias("ReliableRpc.Tests.Compatibility.ObserverCallOutcome")]
public sealed record ObserverCallOutcome(
    [property: Id(0)] string? ExceptionType,
    [property: Id(1)] bool IsTimeout,
    [property: Id(2)] string? InnerExceptionType,
    [property: Id(3)] bool InnerIsTimeout,
    [property: Id(4)] string? RpcStatus,
    [property: Id(5)] TimeSpan Elapsed,
    [property: Id(6)] string? Message)
{
    public static ObserverCallOutcome Returned(TimeSpan elapsed) => new(null, false, null, false, null, elapsed, null);

    public static ObserverCallOutcome Threw(Exception exception, TimeSpan elapsed) => new(
        exception.GetType().FullName,
        exception is TimeoutException,
        exception.InnerException?.GetType().FullName,
        exception.InnerException is TimeoutException,
        (exception as RpcException)?.Status.ToString(),
        elapsed,
        exception.Message);

    public override string ToString() =>
        ExceptionType is null
            ? $"returned after {Elapsed.TotalMilliseconds:F0} ms"
            : $"{ExceptionType} (inner {InnerExceptionType ?? "none"}, status {RpcStatus ?? "none"}) after {Elapsed.TotalMilliseconds:F0} ms: {Message}";
}

public interface IObservedGrain : IGrainWithGuidKey
{
    Task Subscribe(ITestObserver observer);

    /// <summary>Notifies every subscriber; a subscriber's failure fails the call.</summary>
    Task NotifyAll(string message);

    /// <summary>
    /// Notifies the first subscriber and reports, instead of throwing, what that call did. Its own timeout is longer
    /// than the 2 s default, which bounds the call to the observer inside it.
    /// </summary>
    [ResponseTimeout("00:00:10")]
    Task<ObserverCallOutcome> NotifyAndReport(string message);
}

public sealed class ObservedGrain : Grain, IObservedGrain
{
    private readonly List<ITestObserver> _observers = [];

    public Task Subscribe(ITestObserver observer)
    {
        _observers.Add(observer);
        return Task.CompletedTask;
    }

    public Task NotifyAll(string message) => Task.WhenAll(_observers.Select(o => o.OnNotify(message)));

    public async Task<ObserverCallOutcome> NotifyAndReport(string message)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await _observers[0].OnNotify(message);
            return ObserverCallOutcome.Returned(clock.Elapsed);
        }
        catch (Exception exception)
        {
            return ObserverCallOutcome.Threw(exception, clock.Elapsed);
        }
    }
}
