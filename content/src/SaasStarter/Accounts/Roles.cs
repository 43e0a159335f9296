namespace SaasStarter.Accounts;

/// <summary>Global roles. Tenant roles (Owner, Admin, ...) belong to memberships, not here.</summary>
public static class Roles
{
    /// <summary>Runs the whole installation: created once through /setup or Setup:AdminEmail.</summary>
    public const string PlatformOperator = "PlatformOperator";
}
