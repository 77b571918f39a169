namespace ReliableRpc;

/// <summary>
/// The receiver's word that a failure left a method that started, carried in <see cref="Exception.Data"/> (which
/// Orleans copies and serializes with the exception, inner ones included), so the exception keeps its type.
/// </summary>
/// <remarks>
/// Orleans exceptions such as <c>ClientNotAvailableException</c> or <c>SiloUnavailableException</c> prove a request
/// never ran only when the caller's own runtime raised them for that request; thrown by a method that ran (it called
/// an observer whose client left), the same types would make every caller up the chain re-send it. The mark can only
/// clear <see cref="RpcException.NotExecuted"/>, never set it.
/// </remarks>
public static class ExecutionMark
{
    /// <summary>The <see cref="Exception.Data"/> key of the mark.</summary>
    public const string Key = "reliablerpc.executed";

    /// <summary>Marks <paramref name="exception"/> as the failure of a method that started; returns it, to throw.</summary>
    internal static T Set<T>(T exception) where T : Exception
    {
        exception.Data[Key] = true;
        return exception;
    }

    /// <summary>True when <paramref name="exception"/> or any exception inside it carries the mark.</summary>
    public static bool IsOn(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current.Data.Contains(Key))
            {
                return true;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (IsOn(inner))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        return false;
    }
}
