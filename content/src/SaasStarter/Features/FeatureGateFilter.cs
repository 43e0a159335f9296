using Microsoft.FeatureManagement;

namespace SaasStarter.Features;

/// <summary>Endpoint metadata naming the flag <see cref="FeatureGateFilter.RequireFeature{TBuilder}"/> gates on.</summary>
public sealed record RequiredFeature(string Feature);

/// <summary>
/// Gates minimal API endpoints on a flag of the request's workspace: when it is off, the endpoint answers 404 with an
/// empty body, and the pipeline's status code pages write it as they would for an address nothing answers (a problem
/// under /api, the error page elsewhere), so a disabled feature looks like a missing endpoint. Razor Pages use the
/// library's <c>[FeatureGate]</c> instead. Apply it after whatever enters the workspace (a key's authentication).
/// </summary>
public static class FeatureGateFilter
{
    private static readonly object HiddenKey = new();

    /// <summary>The endpoint (or every endpoint of the group) answers 404 unless <paramref name="feature"/> is on.</summary>
    public static TBuilder RequireFeature<TBuilder>(this TBuilder builder, string feature) where TBuilder : IEndpointConventionBuilder
    {
        // A typo would otherwise hide the endpoint for everyone, silently: the names are the ones the catalog checks.
        if (!FeatureNames.All.Contains(feature, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{feature}' is not one of the flags in {nameof(FeatureNames)}.", nameof(feature));
        }
        builder.WithMetadata(new RequiredFeature(feature));
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (await http.RequestServices.GetRequiredService<IFeatureManagerSnapshot>().IsEnabledAsync(feature)) return await next(context);
            http.Items[HiddenKey] = feature;
            return TypedResults.NotFound();
        });
        return builder;
    }

    /// <summary>The request reached an endpoint whose feature is off: its 404 should read like an unmatched address's.</summary>
    public static bool WasHidden(HttpContext http) => http.Items.ContainsKey(HiddenKey);
}
