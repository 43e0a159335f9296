using Microsoft.FeatureManagement;

namespace SaasStarter.Features;

/// <summary>Endpoint metadata naming the flag <see cref="FeatureGateFilter.RequireFeature{TBuilder}"/> gates on.</summary>
public sealed record RequiredFeature(string Feature);

/// <summary>
/// Gates minimal API endpoints on a flag of the request's tenant: when it is off, the endpoint answers 404 with an
/// empty body, and the pipeline's status code pages write it as they would for an address nothing answers (a problem
/// under /api, the error page elsewhere), so a disabled feature looks like a missing endpoint. Razor Pages use the
/// library's <c>[FeatureGate]</c> instead (with <see cref="FeatureGates.Order"/>). Apply it after whatever enters the
/// tenant (a key's authentication).
/// </summary>
public static class FeatureGateFilter
{
    private static readonly object HiddenKey = new();

    /// <summary>The endpoint (or every endpoint of the group) answers 404 unless <paramref name="feature"/> is on.</summary>
    public static TBuilder RequireFeature<TBuilder>(this TBuilder builder, string feature) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new RequiredFeature(feature));
        builder.AddEndpointFilterFactory((context, next) =>
        {
            // A typo would otherwise hide the endpoint for everyone, silently: refuse a flag no module declares.
            if (context.ApplicationServices.GetRequiredService<FeatureCatalog>().Find(feature) is null)
            {
                throw new InvalidOperationException($"Endpoint {context.MethodInfo.Name} requires the flag '{feature}', which no module declares.");
            }
            return async invocation =>
            {
                var http = invocation.HttpContext;
                if (await http.RequestServices.GetRequiredService<IFeatureManagerSnapshot>().IsEnabledAsync(feature)) return await next(invocation);
                http.Items[HiddenKey] = feature;
                return TypedResults.NotFound();
            };
        });
        return builder;
    }

    /// <summary>The request reached an endpoint whose feature is off: its 404 should read like an unmatched address's.</summary>
    public static bool WasHidden(HttpContext http) => http.Items.ContainsKey(HiddenKey);
}
