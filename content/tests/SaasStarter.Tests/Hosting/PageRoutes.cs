using System.ComponentModel;
using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace SaasStarter.Tests.Hosting;

/// <summary>A value a page handler reads from the request: a handler parameter, or a bound property flattened (<c>Input.Email</c>).</summary>
public sealed record PageField(string Name, Type Type);

/// <summary>One way to call a page: an HTTP method, the named handler (null for the default one) and what it binds.</summary>
public sealed record PageCall(string Method, string? Handler, IReadOnlyList<PageField> Fields)
{
    public override string ToString() => (Handler is null ? Method : $"{Method}?handler={Handler}") + $" [{string.Join(", ", Fields.Select(f => f.Name))}]";
}

/// <summary>
/// A Razor Page as the app's routing knows it (Identity's area, tenant and operator pages included), with every handler of
/// its compiled model: what a sweep needs to call each one, found without anyone listing them.
/// </summary>
public sealed record PageRoute(RoutePattern Pattern, string Page, bool NeedsSignIn, IReadOnlyList<PageCall> Calls)
{
    public string Template => "/" + Pattern.RawText?.TrimStart('~', '/');

    public override string ToString() => $"{Template} ({Page}{(NeedsSignIn ? ", signed in" : "")}): {string.Join("; ", Calls)}";

    public static async Task<IReadOnlyList<PageRoute>> DiscoverAsync(IServiceProvider services)
    {
        var loader = services.GetRequiredService<PageLoader>();
        var routes = new Dictionary<string, PageRoute>(StringComparer.Ordinal);
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<ISuppressMatchingMetadata>()?.SuppressMatching == true) continue;
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not { } page) continue;

            var compiled = await loader.LoadAsync(page, endpoint.Metadata);
            var routeParameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var calls = new List<PageCall>();
            // Only HTTP verbs: a model's OnPageHandlerSelected override is listed as a handler of the verb "Page".
            foreach (var handler in compiled.HandlerMethods.Where(h => HttpMethods.IsGet(h.HttpMethod) || HttpMethods.IsPost(h.HttpMethod)
                         || HttpMethods.IsPut(h.HttpMethod) || HttpMethods.IsPatch(h.HttpMethod) || HttpMethods.IsDelete(h.HttpMethod)))
            {
                var method = handler.HttpMethod.ToUpperInvariant();
                var fields = handler.Parameters
                    .Where(p => p.BindingInfo?.BindingSource != BindingSource.Services && p.ParameterType != typeof(CancellationToken))
                    .SelectMany(p => Flatten(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType, depth: 0))
                    .Concat(BoundProperties(compiled, method))
                    .Where(f => !routeParameters.Contains(f.Name))
                    .DistinctBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
                    .ToList();
                calls.Add(new(method, string.IsNullOrEmpty(handler.Name) ? null : handler.Name, fields));
            }
            // A page without a handler for GET or POST still answers both (it renders, or refuses the verb).
            foreach (var method in new[] { HttpMethods.Get, HttpMethods.Post })
            {
                if (!calls.Any(c => c.Method == method && c.Handler is null)) calls.Add(new(method, null, [.. BoundProperties(compiled, method)]));
            }

            var needsSignIn = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
            var route = new PageRoute(endpoint.RoutePattern, (page.AreaName is { } area ? $"{area}:" : "") + page.ViewEnginePath, needsSignIn,
                [.. calls.OrderBy(c => (c.Method, c.Handler ?? ""))]);
            // An Index page is routed twice (/x and /x/Index): the shorter address stands for both.
            if (!routes.TryGetValue(route.Page, out var known) || route.Template.Length < known.Template.Length) routes[route.Page] = route;
        }
        return [.. routes.Values.OrderBy(r => r.Template, StringComparer.Ordinal)];
    }

    /// <summary>The model's bound properties that bind on <paramref name="method"/> (a plain [BindProperty] skips GET).</summary>
    private static IEnumerable<PageField> BoundProperties(CompiledPageActionDescriptor compiled, string method)
    {
        var context = new ActionContext { HttpContext = new DefaultHttpContext { Request = { Method = method } } };
        return compiled.BoundProperties
            .Where(p => p.BindingInfo?.RequestPredicate?.Invoke(context) != false)
            .SelectMany(p => Flatten(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType, depth: 0));
    }

    /// <summary>A simple value as itself; a class as its settable properties, two levels deep (Input.Address.Street).</summary>
    private static IEnumerable<PageField> Flatten(string name, Type type, int depth)
    {
        var element = type.IsArray ? type.GetElementType()! : type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(IEnumerable<>).MakeGenericType(item).IsAssignableFrom(type) && type != typeof(string) ? item : type;
        var underlying = Nullable.GetUnderlyingType(element) ?? element;
        if (TypeDescriptor.GetConverter(underlying).CanConvertFrom(typeof(string)))
        {
            yield return new(name, underlying);
            yield break;
        }
        if (depth >= 2 || !underlying.IsClass || typeof(IFormFile).IsAssignableFrom(underlying)) yield break;
        foreach (var property in underlying.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            foreach (var field in Flatten($"{name}.{property.Name}", property.PropertyType, depth + 1)) yield return field;
        }
    }
}
