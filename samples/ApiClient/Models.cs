namespace ApiClient;

/// <summary>A project as the API returns it. <see cref="Status"/> is "active" or "archived".</summary>
public sealed record Project(Guid Id, string Name, string? Description, string Status, DateTime CreatedAtUtc, DateTime UpdatedAtUtc, int Version);

/// <summary>The body of <c>POST /api/v1/projects</c>: a name of 1–100 characters, a description of at most 2000.</summary>
public sealed record NewProject(string Name, string? Description);

/// <summary>The body of <c>PUT /api/v1/projects/{id}</c>: the whole editable state.</summary>
public sealed record ProjectChanges(string Name, string? Description, string Status);

/// <summary>The workspace an API key belongs to (<c>GET /api/v1/tenant</c>).</summary>
public sealed record Workspace(Guid Id, string Name, string Slug, string Plan);

public sealed record PageLinks(string Self, string? Next, string? Prev);

/// <summary>Every list of the API: one page of items, where it sits in the whole, and links to the neighbours.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total, PageLinks Links);

/// <summary>A representation with its ETag: send the ETag back in If-Match to update or delete exactly that version.</summary>
public sealed record Versioned<T>(T Value, string ETag);

/// <summary>The answer to a create: the new object, where it lives, and whether the API replayed an earlier answer.</summary>
public sealed record CreatedResource<T>(T Value, string ETag, Uri? Location, bool Replayed);
