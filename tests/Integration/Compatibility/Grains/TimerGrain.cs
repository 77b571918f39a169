using System.Collections.Concurrent;

namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>As Orleans' ITimerCallGrain: a grain timer whose callback calls another grain.</summary>
public interface ITimerTestGrain : ILocatedGrain, IGrainWithGuidKey
{
    Task StartTimer(ITimerTargetGrain target, string message, TimeSpan dueTime);

    /// <summary>The exception the timer callback's grain call threw, if any.</summary>
    Task<string?> CallbackFailure();
}

public interface ITimerTargetGrain : ILocatedGrain, IGrainWithGuidKey
{
    Task Record(string message);

    Task<List<string>> Records();
}

public sealed class TimerTestGrain : LocatedGrain, ITimerTestGrain
{
    private IGrainTimer? _timer;
    private string? _failure;

    public Task StartTimer(ITimerTargetGrain target, string message, TimeSpan dueTime)
    {
        _timer = this.RegisterGrainTimer(async cancellationToken =>
        {
            try
            {
                await target.Record(message);
            }
            catch (Exception exception)
            {
                _failure = exception.ToString();
            }
        }, dueTime, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public Task<string?> CallbackFailure() => Task.FromResult(_failure);
}

public sealed class TimerTargetGrain : LocatedGrain, ITimerTargetGrain
{
    private readonly List<string> _records = [];

    public Task Record(string message)
    {
        _records.Add(message);
        return Task.CompletedTask;
    }

    public Task<List<string>> Records() => Task.FromResult(_records.ToList());
}
