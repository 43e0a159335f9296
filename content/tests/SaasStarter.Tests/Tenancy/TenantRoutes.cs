using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Tests.Tenancy;

/// <summary>One way to call a tenant route: an HTTP method, and for a Razor Page the named handler (null for the default one).</summary>
public sealed record TenantRouteCall(string Method, string? Handler, IReadOnlyList<(string Name, Type Type)> Parameters)
{
    public override string ToString() => Handler is null ? Method : $"{Method}?handler={Handler}";
}

/// <summary>
/// An endpoint addressed under <c>/t/{slug}</c>, as the app's routing knows it: whatever is added later is found
/// here without anyone listing it.
/// </summary>
public sealed record TenantRoute(RoutePattern Pattern, string Kind, string Source, IReadOnlyList<TenantRouteCall> Calls, Type? PageModel = null)
{
    /// <summary>
    /// What a page says it needs: the permission of its <see cref="RequirePermissionAttribute"/>, or null with
    /// <see cref="AnyMemberAttribute"/>; <c>Declared</c> is false when it says neither (a mistake the tests report).
    /// </summary>
    public (bool Declared, string? Permission) Needs => PageModel switch
    {
        null => (false, null),
        var model when model.GetCustomAttributes(typeof(RequirePermissionAttribute), inherit: true) is [RequirePermissionAttribute required] => (true, required.Permission),
        var model when model.IsDefined(typeof(AnyMemberAttribute), inherit: true) => (true, null),
        _ => (false, null),
    };

    /// <summary>The route parameter that carries the tenant (the one after the literal <c>t</c>).</summary>
    public string SlugParameter => ((RoutePatternParameterPart)Pattern.PathSegments[1].Parts[0]).Name;

    public string Template => "/" + string.Join("/", Pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(Text))));

    public override string ToString() => $"{Template} [{string.Join(", ", Calls)}] ({Kind}: {Source})";

    private static string Text(RoutePatternPart part) => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternSeparatorPart separator => separator.Content,
        RoutePatternParameterPart parameter => "{" + (parameter.IsCatchAll ? "*" : "") + parameter.Name
            + string.Concat(parameter.ParameterPolicies.Select(p => ":" + p.Content)) + (parameter.IsOptional ? "?" : "") + "}",
        _ => "?",
    };

    /// <summary>
    /// Every endpoint whose pattern starts with the literal <c>t</c> followed by a parameter (the slug): Razor Pages
    /// (GET and POST always, plus each named handler of the compiled page) and any other endpoint (its own methods,
    /// or GET and POST when it accepts any).
    /// </summary>
    public static async Task<IReadOnlyList<TenantRoute>> DiscoverAsync(IServiceProvider services)
    {
        var loader = services.GetRequiredService<PageLoader>();
        var routes = new List<TenantRoute>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<ISuppressMatchingMetadata>()?.SuppressMatching == true) continue;
            if (!IsTenantScoped(endpoint.RoutePattern)) continue;

            var calls = new List<TenantRouteCall>();
            void Add(string method, string? handler, IReadOnlyList<(string, Type)>? parameters = null)
            {
                if (!calls.Any(c => c.Method == method && c.Handler == handler)) calls.Add(new(method, handler, parameters ?? []));
            }

            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                foreach (var handler in compiled.HandlerMethods)
                {
                    Add(handler.HttpMethod.ToUpperInvariant(), handler.Name,
                        handler.Parameters.Select(p => (p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType)).ToList());
                }
                Add(HttpMethods.Get, null);
                Add(HttpMethods.Post, null);
                calls.Sort((x, y) => (x.Method, x.Handler ?? "").CompareTo((y.Method, y.Handler ?? "")));
                routes.Add(new(endpoint.RoutePattern, "page", page.ViewEnginePath, calls, compiled.ModelTypeInfo?.AsType() ?? compiled.HandlerTypeInfo.AsType()));
            }
            else
            {
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
                foreach (var method in methods is { Count: > 0 } ? methods : [HttpMethods.Get, HttpMethods.Post])
                {
                    Add(method.ToUpperInvariant(), null);
                }
                routes.Add(new(endpoint.RoutePattern, "endpoint", endpoint.DisplayName ?? "?", calls));
            }
        }
        return routes.OrderBy(r => r.Template, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Razor Pages that ask for a tenant permission (or say any member may open them), wherever they are routed: each
    /// must be under /t/{slug}, or it gets no tenant, and no check, at all.
    /// </summary>
    public static async Task<IReadOnlyList<(string Page, string Template)>> PagesNeedingATenantAsync(IServiceProvider services)
    {
        var loader = services.GetRequiredService<PageLoader>();
        var found = new List<(string, string)>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not { } page) continue;
            var compiled = await loader.LoadAsync(page, endpoint.Metadata);
            var model = compiled.ModelTypeInfo?.AsType() ?? compiled.HandlerTypeInfo.AsType();
            if (model.IsDefined(typeof(RequirePermissionAttribute), inherit: true) || model.IsDefined(typeof(AnyMemberAttribute), inherit: true))
            {
                found.Add((page.ViewEnginePath, "/" + endpoint.RoutePattern.RawText?.TrimStart('~', '/')));
            }
        }
        return found;
    }

    private static bool IsTenantScoped(RoutePattern pattern) =>
        pattern.PathSegments.Count >= 2
        && pattern.PathSegments[0].Parts is [RoutePatternLiteralPart { Content: var t }] && t.Equals("t", StringComparison.OrdinalIgnoreCase)
        && pattern.PathSegments[1].Parts is [RoutePatternParameterPart { IsCatchAll: false }];

    /// <summary>
    /// A concrete path for <paramref name="slug"/>: another route parameter gets the id of a real object of the
    /// tenant when <paramref name="objects"/> has one that fits its name (or the literal before it), else a fresh
    /// value of the right shape; optional parameters without a real object are left out. <c>UsesOnlyRealValues</c>
    /// says whether a member of the tenant should find something there.
    /// </summary>
    public (string Path, bool UsesOnlyRealValues, bool UsesObjects) PathFor(string slug, TenantObjects objects)
    {
        var segments = new List<string>();
        var real = true;
        var usesObjects = false;
        string? previousLiteral = null;
        foreach (var segment in Pattern.PathSegments)
        {
            var text = "";
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        text += literal.Content;
                        previousLiteral = literal.Content;
                        break;
                    case RoutePatternSeparatorPart separator:
                        text += separator.Content;
                        break;
                    case RoutePatternParameterPart parameter when parameter.Name == SlugParameter:
                        text += slug;
                        break;
                    case RoutePatternParameterPart parameter:
                        if (objects.IdFor(parameter.Name, previousLiteral) is { } id)
                        {
                            text += id.ToString();
                            usesObjects = true;
                        }
                        else if (!parameter.IsOptional && !parameter.IsCatchAll && parameter.Default is null)
                        {
                            text += FreshValue(parameter);
                            real = false;
                        }
                        break;
                }
            }
            if (text.Length > 0) segments.Add(Uri.EscapeDataString(text).Replace("%2F", "/", StringComparison.Ordinal));
        }
        return ("/" + string.Join("/", segments), real, usesObjects);
    }

    private static string FreshValue(RoutePatternParameterPart parameter)
    {
        var policies = parameter.ParameterPolicies.Select(p => p.Content?.Split('(')[0].ToLowerInvariant()).ToHashSet();
        if (policies.Overlaps(["int", "long", "decimal", "double", "float", "min", "max", "range"])) return "1";
        if (policies.Contains("bool")) return "true";
        if (policies.Contains("alpha")) return "abc";
        return Guid.NewGuid().ToString();
    }
}

/// <summary>
/// A tenant's rows, read generically from every <see cref="ITenantOwned"/> entity in the model, inside the
/// tenant (its filters and, on PostgreSQL, its row-level security): the ids a route or handler can be pointed at,
/// and a snapshot that shows whether anything changed.
/// </summary>
public sealed class TenantObjects
{
    private readonly Dictionary<string, List<Guid>> idsByEntity;

    private TenantObjects(Dictionary<string, List<Guid>> idsByEntity, IReadOnlyList<string> rows)
    {
        this.idsByEntity = idsByEntity;
        Rows = rows;
    }

    /// <summary>Every row, one line each ("Entity: Property=value | ..."), in a stable order.</summary>
    public IReadOnlyList<string> Rows { get; }

    public IEnumerable<string> Entities => idsByEntity.Keys;

    /// <summary>
    /// A real id for a parameter: <c>membershipId</c> matches Membership; <c>id</c> after the literal <c>members</c>
    /// matches Membership too (name, singular, or prefix of the entity name); null when nothing fits.
    /// </summary>
    public Guid? IdFor(string parameter, string? previousLiteral)
    {
        var key = parameter.Equals("id", StringComparison.OrdinalIgnoreCase)
            ? previousLiteral
            : parameter.EndsWith("Id", StringComparison.OrdinalIgnoreCase) ? parameter[..^2] : null;
        if (string.IsNullOrEmpty(key)) return null;
        key = key.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        var singular = key.EndsWith('s') ? key[..^1] : key;
        var match = idsByEntity.Keys.FirstOrDefault(e => e.Equals(key, StringComparison.OrdinalIgnoreCase) || e.Equals(singular, StringComparison.OrdinalIgnoreCase))
            ?? idsByEntity.Keys.FirstOrDefault(e => singular.Length >= 3 && e.StartsWith(singular, StringComparison.OrdinalIgnoreCase));
        // An entity with no rows in A gives no id (not Guid.Empty): the route then counts as unprobeable by A's member.
        return match is not null && idsByEntity[match] is [var first, ..] ? first : null;
    }

    public static async Task<TenantObjects> ReadAsync(IServiceProvider root, CurrentTenant tenant)
    {
        await using var scope = root.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenant);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ids = new Dictionary<string, List<Guid>>(StringComparer.OrdinalIgnoreCase);
        var rows = new List<string>();
        var read = typeof(TenantObjects).GetMethod(nameof(RowsOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var type in db.Model.GetEntityTypes()
                     .Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType) && !t.IsOwned() && !t.HasSharedClrType)
                     .OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var (typeIds, typeRows) = await (Task<(List<Guid>, List<string>)>)read.MakeGenericMethod(type.ClrType).Invoke(null, [db, type])!;
            ids[type.ClrType.Name] = typeIds;
            rows.AddRange(typeRows);
        }
        return new(ids, rows);
    }

    private static async Task<(List<Guid>, List<string>)> RowsOfAsync<T>(AppDbContext db, IEntityType type) where T : class
    {
        var entities = await db.Set<T>().AsNoTracking().ToListAsync();
        var properties = type.GetProperties().Where(p => p.PropertyInfo is not null).ToList();
        var key = type.FindPrimaryKey()?.Properties is [{ ClrType: var keyType, PropertyInfo: { } keyProperty }] && keyType == typeof(Guid)
            ? keyProperty
            : null;
        var ids = key is null ? [] : entities.Select(e => (Guid)key.GetValue(e)!).Order().ToList();
        var rows = entities
            .Select(e => $"{type.ClrType.Name}: " + string.Join(" | ", properties.Select(p => $"{p.Name}={Format(p.PropertyInfo!.GetValue(e))}")))
            .Order(StringComparer.Ordinal)
            .ToList();
        return (ids, rows);
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        DateTime time => time.ToString("O"),
        DateTimeOffset time => time.ToString("O"),
        _ => value.ToString() ?? "",
    };
}
