namespace SaasStarter.Members;

/// <summary>How a change to a tenant's people went: done, or the reason it was refused, in words for the page.</summary>
public sealed record Outcome(string? Problem)
{
    public bool Succeeded => Problem is null;

    public static readonly Outcome Done = new((string?)null);
}
