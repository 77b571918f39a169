namespace ReliableRpc.Tests.Integration.Compatibility.Grains;

/// <summary>Methods whose [ResponseTimeout] is longer or shorter than the clusters' 2 s default, as Orleans' IEchoTaskGrain has.</summary>
public interface ITimeoutGrain : IGrainWithGuidKey
{
    /// <summary>4 s: a 3 s call fits.</summary>
    [ResponseTimeout("00:00:04")]
    Task<TimeSpan> LongerTimeout(TimeSpan work);

    /// <summary>1 s: a 3 s call does not.</summary>
    [ResponseTimeout("00:00:01")]
    Task<TimeSpan> ShorterTimeout(TimeSpan work);

    /// <summary>The default (2 s): a 3 s call does not fit either.</summary>
    Task<TimeSpan> DefaultTimeout(TimeSpan work);
}

public sealed class TimeoutGrain : Grain, ITimeoutGrain
{
    public Task<TimeSpan> LongerTimeout(TimeSpan work) => Work(work);

    public Task<TimeSpan> ShorterTimeout(TimeSpan work) => Work(work);

    public Task<TimeSpan> DefaultTimeout(TimeSpan work) => Work(work);

    // The token is not observed: like Orleans' BlockingCallTimeoutAsync, the method runs on whatever the caller does.
    private static async Task<TimeSpan> Work(TimeSpan work)
    {
        await Task.Delay(work);
        return work;
    }
}
