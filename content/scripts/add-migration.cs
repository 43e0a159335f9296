// Adds a migration to both providers' sets, so SQLite and PostgreSQL always move together:
//
//   dotnet run scripts/add-migration.cs -- AddInvoices
//
// It runs `dotnet ef migrations add` for SqliteAppDbContext (into Migrations/Sqlite) and for PostgresAppDbContext (into
// Migrations/Postgres), through the app itself, so Identity's options shape the model exactly as at run time. PostgreSQL
// needs no server for this: the provider is chosen by environment, and the connection string is never opened. A new
// tenant-owned table gets its row-level security in the PostgreSQL migration by itself (Data/RowLevelSecurityDiffer):
// read both migrations before you commit them. When the second one fails, the first is removed again.
using System.Diagnostics;
using System.Text.RegularExpressions;

if (args is not [var name] || !Regex.IsMatch(name, "^[A-Z][A-Za-z0-9]*$"))
{
    Console.Error.WriteLine("Usage: dotnet run scripts/add-migration.cs -- <Name>   (a PascalCase name, e.g. AddInvoices)");
    return 2;
}

var root = FindAppRoot(Directory.GetCurrentDirectory());
if (root is null)
{
    Console.Error.WriteLine("Run this from the app's folder (the one with src/<App>/Program.cs).");
    return 2;
}
var project = Directory.GetDirectories(Path.Combine(root, "src")).Single(d => File.Exists(Path.Combine(d, "Program.cs")));
var relativeProject = Path.GetRelativePath(root, project);
var existing = Directory.EnumerateFiles(Path.Combine(project, "Migrations"), $"*_{name}.cs", SearchOption.AllDirectories).FirstOrDefault();
if (existing is not null)
{
    Console.Error.WriteLine($"A migration named {name} exists already: {Path.GetRelativePath(root, existing)}");
    return 2;
}

if (Run(root, [], "tool", "restore") != 0) return 1;
if (Run(root, [], "ef", "migrations", "add", name, "--project", relativeProject, "--context", "SqliteAppDbContext", "-o", "Migrations/Sqlite") != 0) return 1;
var postgres = new Dictionary<string, string> { ["Database__Provider"] = "Postgres", ["ConnectionStrings__Default"] = "Host=localhost" };
if (Run(root, postgres, "ef", "migrations", "add", name, "--project", relativeProject, "--context", "PostgresAppDbContext", "-o", "Migrations/Postgres", "--no-build") != 0)
{
    Console.Error.WriteLine("The PostgreSQL migration failed: removing the SQLite one again, so the two sets stay alike.");
    Run(root, [], "ef", "migrations", "remove", "--project", relativeProject, "--context", "SqliteAppDbContext", "--no-build");
    return 1;
}
Console.WriteLine($"Added {name} to Migrations/Sqlite and Migrations/Postgres under {relativeProject}. Review both, then commit them.");
return 0;

static int Run(string directory, Dictionary<string, string> environment, params string[] arguments)
{
    var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory };
    foreach (var argument in arguments) start.ArgumentList.Add(argument);
    foreach (var (key, value) in environment) start.Environment[key] = value;
    Console.WriteLine("> " + string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}").Append("dotnet").Concat(arguments)));
    using var process = Process.Start(start)!;
    process.WaitForExit();
    return process.ExitCode;
}

static string? FindAppRoot(string from)
{
    for (var folder = new DirectoryInfo(from); folder is not null; folder = folder.Parent)
    {
        var src = Path.Combine(folder.FullName, "src");
        if (Directory.Exists(src) && Directory.GetDirectories(src).Any(d => File.Exists(Path.Combine(d, "Program.cs")))) return folder.FullName;
    }
    return null;
}
