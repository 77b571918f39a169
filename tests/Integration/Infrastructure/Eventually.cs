namespace ReliableRpc.Tests.Integration.Infrastructure;

/// <summary>Polls a condition that another process or thread makes true, with a bound.</summary>
public static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var until = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"not true within the bound: {what}");
            }

            await Task.Delay(50);
        }
    }
}
