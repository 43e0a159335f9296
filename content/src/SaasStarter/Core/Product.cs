namespace SaasStarter.Core;

/// <summary>
/// The product's name as people read it: page titles, the navbar, emails, the authenticator app's label.
/// <c>dotnet new saas-starter -n "My.Shop-2"</c> writes the name here exactly as typed, while code names use
/// the C#-safe form (My.Shop_2).
/// </summary>
public static class Product
{
    public const string Name = "Saas Starter";
}
