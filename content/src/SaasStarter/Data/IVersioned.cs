namespace SaasStarter.Data;

/// <summary>
/// An entity clients may read, change and write back: its <see cref="Version"/> is an optimistic-concurrency token
/// (the API's ETag). Saving bumps it and stamps <see cref="UpdatedAtUtc"/> (<see cref="Versioning"/>), so no edit path
/// can forget, and an UPDATE or DELETE that meets a newer version than it read fails instead of overwriting it.
/// <c>ExecuteUpdate</c>/<c>ExecuteDelete</c> bypass SaveChanges: code using them must bump <see cref="Version"/> itself.
/// </summary>
public interface IVersioned
{
    int Version { get; set; }

    DateTime UpdatedAtUtc { get; set; }
}
