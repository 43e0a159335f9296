namespace SaasStarter.Template.Tests;

/// <summary>One row of the variant matrix: every template option value appears in at least one row.</summary>
public sealed record Variant(string Id, string Name, string? Db)
{
    public static readonly Variant Sqlite = new("sqlite", "Acme", "sqlite");
    public static readonly Variant Postgres = new("postgres", "Acme", "postgres");

    /// <summary>Dots, a dash and a digit: the name forms the engine derives must all still build. Default db.</summary>
    public static readonly Variant DottedName = new("name", "My.Shop-2", null);

    public static IReadOnlyList<Variant> All { get; } = [Sqlite, Postgres, DottedName];

    /// <summary>The name the other variants use: the name variant's text is mapped onto it before comparing.</summary>
    public const string ReferenceName = "Acme";

    public static Variant ById(string id) => All.Single(v => v.Id == id);

    /// <summary>The effective database: the template's default is sqlite.</summary>
    public bool UsesPostgres => Db == "postgres";

    public IReadOnlyList<string> NewArguments =>
        Db is null ? ["-n", Name] : ["-n", Name, "--db", Db];

    public override string ToString() => Id;
}
