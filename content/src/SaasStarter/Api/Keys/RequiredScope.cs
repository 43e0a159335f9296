namespace SaasStarter.Api.Keys;

/// <summary>
/// Endpoint metadata naming the scope <see cref="ApiKeyEndpoints.RequireScope{TBuilder}"/> enforces, so the OpenAPI
/// document can say which scope each operation needs (the filter itself is opaque to anything reading metadata).
/// </summary>
public sealed record RequiredScope(string Scope);
