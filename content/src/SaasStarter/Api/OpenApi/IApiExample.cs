namespace SaasStarter.Api.OpenApi;

/// <summary>
/// A DTO that shows itself in the OpenAPI document: <see cref="SchemaExamples"/> puts <see cref="Example"/>,
/// serialized as the API serializes it, on the type's schema, so the reference shows a realistic request or response.
/// The example lives beside the DTO it describes, in its own module.
/// </summary>
public interface IApiExample<TSelf> where TSelf : IApiExample<TSelf>
{
    static abstract TSelf Example { get; }
}
