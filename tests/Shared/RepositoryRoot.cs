namespace ReliableRpc.Tests;

/// <summary>The repository's root folder, found above the test assembly. Shared by the test projects.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(global::System.IO.Path.Combine(dir.FullName, "ReliableRpc.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ReliableRpc.sln not found above {AppContext.BaseDirectory}");
    }
}
