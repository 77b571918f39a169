namespace ReliableRpc.Tests.System.Infrastructure;

/// <summary>Finds the repository and the silo build next to this test assembly.</summary>
internal static class RepositoryPaths
{
    public static string Root => RepositoryRoot.Path;

    /// <summary>The build configuration this test assembly was built in (the silo is built alongside it).</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string SiloDll
    {
        get
        {
            var path = Path.Combine(Root, "Silo", "bin", Configuration, "net10.0", "ReliableRpc.Silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"the silo is not built at {path}; build the solution first");
        }
    }
}
