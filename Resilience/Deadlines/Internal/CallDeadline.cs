using ReliableRpc.Policies.Internal;

namespace ReliableRpc.Deadlines.Internal;

/// <summary>Which deadline a call gets, and whether it must travel with it.</summary>
internal static class CallDeadline
{
    /// <summary>
    /// The call's timeout: the scope's, else the method's; never longer than the maximum (the method's own when its
    /// [ResponseTimeout] raised it), and inside a grain method never longer than what is left of the incoming call's
    /// deadline (like gRPC's propagation).
    /// </summary>
    public static TimeSpan Resolve(MethodPolicy policy, RpcCallOptions? scope, IncomingRpcCall? incoming, TimeSpan maxDeadline)
    {
        maxDeadline = policy.RaisedMaxDeadline ?? maxDeadline;
        var timeout = scope?.Timeout ?? policy.Deadline;
        if (timeout > maxDeadline)
        {
            timeout = maxDeadline;
        }

        if (incoming is not null)
        {
            var remaining = incoming.Remaining;
            if (remaining < timeout)
            {
                timeout = remaining;
            }
        }

        return timeout;
    }

    /// <summary>
    /// True when the receiver cannot derive the budget itself: it applies the method's own deadline to a call
    /// that arrives without one, so any other deadline needs the wire. A longer one too: left behind, the callee
    /// would give up (and cut its own calls' deadlines) while its caller still waits.
    /// </summary>
    public static bool MustTravel(TimeSpan timeout, MethodPolicy policy) => timeout != policy.Deadline;

    /// <summary>The failure of a call whose deadline passed, seen by the caller: the pipeline's view, classified and retried on.</summary>
    public static RpcException Exceeded(MethodPolicy policy, TimeSpan timeout, bool notExecuted, string where) =>
        new(RpcStatus.DeadlineExceeded, Detail(policy, timeout, where), notExecuted) { ClientGenerated = true };

    /// <summary>
    /// The failure of a call whose deadline passed at its receiver, as it travels back to the caller: an
    /// <see cref="RpcException"/> on the wire, which the caller's pipeline hands on as an
    /// <see cref="RpcDeadlineExceededException"/>. A caller of an earlier version cannot read the newer type; during a
    /// rolling upgrade it would get a type-load failure, and lose the NotExecuted of a call refused on arrival.
    /// </summary>
    public static RpcException ExceededAtReceiver(MethodPolicy policy, TimeSpan timeout, bool notExecuted, string where) =>
        new(RpcStatus.DeadlineExceeded, Detail(policy, timeout, where), notExecuted);

    private static string Detail(MethodPolicy policy, TimeSpan timeout, string where) =>
        $"deadline of {timeout.TotalMilliseconds:0} ms exceeded {where} {policy}";
}
