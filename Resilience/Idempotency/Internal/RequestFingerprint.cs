using System.Security.Cryptography;
using Orleans.Serialization;
using Orleans.Serialization.Invocation;
using ReliableRpc.Policies.Internal;

namespace ReliableRpc;

/// <summary>
/// A hash of a request's method and arguments, so a key reused for another request is caught. Computed only for
/// keyed calls: it serializes the arguments once more.
/// </summary>
internal sealed class RequestFingerprint(Serializer serializer)
{
    public string Compute(IInvokable request, MethodPolicy policy)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(policy.ToString()));
        var count = request.GetArgumentCount();
        for (var i = 0; i < count; i++)
        {
            if (i != policy.CancellationTokenIndex)
            {
                hash.AppendData(serializer.SerializeToArray(request.GetArgument(i)));
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset(), 0, 16);
    }
}
