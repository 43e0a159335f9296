namespace SaasStarter.Features;

/// <summary>
/// Where a page's <c>[FeatureGate]</c> runs among its filters: first, before <c>[RequirePermission]</c>, so a page whose
/// flag is off for the tenant is 404 for every member (it is not there), never 403 for some and 404 for others.
/// </summary>
public static class FeatureGates
{
    public const int Order = -1;
}
