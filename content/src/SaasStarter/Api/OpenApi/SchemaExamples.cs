using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SaasStarter.Api.OpenApi;

/// <summary>Sets the example of every schema whose type implements <see cref="IApiExample{TSelf}"/>.</summary>
internal sealed class SchemaExamples : IOpenApiSchemaTransformer
{
    private static readonly MethodInfo ExampleOf = typeof(SchemaExamples).GetMethod(nameof(Example), BindingFlags.NonPublic | BindingFlags.Static)!;

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (context.JsonPropertyInfo is null && For(type, context.JsonTypeInfo.Options) is { } example) schema.Examples = [example];
        return Task.CompletedTask;
    }

    /// <summary>The type's example as the API would send it, or null when the type has none.</summary>
    public static JsonNode? For(Type type, JsonSerializerOptions options)
    {
        if (!type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IApiExample<>) && i.GenericTypeArguments[0] == type))
        {
            return null;
        }
        var example = ExampleOf.MakeGenericMethod(type).Invoke(null, null);
        return JsonSerializer.SerializeToNode(example, type, options);
    }

    private static T Example<T>() where T : IApiExample<T> => T.Example;
}
