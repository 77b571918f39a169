namespace ReliableRpc.Tests.Unit.Idempotency;

public class IdempotencyRecordsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MinimumRetention = TimeSpan.FromSeconds(30);

    private static IdempotencyRecords With(params (string Key, TimeSpan Age)[] records)
    {
        var set = new IdempotencyRecords();
        foreach (var (key, age) in records)
        {
            set.Add(key, new IdempotencyRecord { Fingerprint = "f", RecordedAt = Start - age, Result = [1] });
        }

        return set;
    }

    [Fact]
    public void Trim_DropsRecordsPastRetention()
    {
        var records = With(("old", TimeSpan.FromMinutes(11)), ("new", TimeSpan.FromMinutes(1)));

        records.Trim(Start, Retention, maxRecords: 100, MinimumRetention);

        Assert.False(records.TryGet("old", out _));
        Assert.True(records.TryGet("new", out _));
    }

    [Fact]
    public void Trim_OverTheCount_DropsTheOldestFirst()
    {
        var records = With(("a", TimeSpan.FromMinutes(5)), ("b", TimeSpan.FromMinutes(4)), ("c", TimeSpan.FromMinutes(3)));

        records.Trim(Start, Retention, maxRecords: 2, MinimumRetention);

        Assert.Equal(2, records.Count);
        Assert.False(records.TryGet("a", out _));
    }

    [Fact]
    public void Trim_OverTheCount_NeverDropsARecordAnEdgeMayStillRetry()
    {
        var records = With(("a", TimeSpan.FromSeconds(20)), ("b", TimeSpan.FromSeconds(10)), ("c", TimeSpan.FromSeconds(1)));

        records.Trim(Start, Retention, maxRecords: 1, MinimumRetention);

        Assert.Equal(3, records.Count);
    }
}

public class IdempotencyRecordSizeTests
{
    [Fact]
    public void Serialized_OneRecordPerKey_CostsUnderOneHundredFiftyBytes()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Orleans.Serialization.ServiceCollectionExtensions.AddSerializer(services);
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var serializer = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Orleans.Serialization.Serializer>(provider);

        var records = new IdempotencyRecords();
        var empty = serializer.SerializeToArray(records).Length;
        for (var i = 0; i < 100; i++)
        {
            records.Add(Guid.NewGuid().ToString("N"), new IdempotencyRecord
            {
                Fingerprint = Convert.ToHexString(Guid.NewGuid().ToByteArray()),
                RecordedAt = DateTimeOffset.UtcNow,
                Result = serializer.SerializeToArray(12_345L),
            });
        }

        var perRecord = (serializer.SerializeToArray(records).Length - empty) / 100.0;
        Assert.InRange(perRecord, 50, 150);
    }
}
