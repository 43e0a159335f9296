namespace SaasStarter.Tests.Hosting;

/// <summary>
/// The values a hostile visitor types or forges into a query string, a form or a path segment, each already
/// percent-encoded as it travels (so invalid UTF-8 and lone surrogates can be sent at all).
/// </summary>
public static class HostileInput
{
    /// <summary>A script tag a page must never echo unencoded.</summary>
    public const string Script = "<script>alert(1)</script>";

    public sealed record Value(string Label, string Encoded);

    /// <summary>What breaks a number, a bool, a date, a GUID or an enum: sent to every field, whatever its type.</summary>
    public static readonly Value[] Malformed =
    [
        new("abc", "abc"),
        new("empty", ""),
        new("huge number", "99999999999999999999999"),
        new("int.MaxValue", "2147483647"),
        new("negative", "-2147483649"),
        new("not a GUID", "not-a-guid"),
        new("empty GUID", "00000000-0000-0000-0000-000000000000"),
        new("bad date", "9999-99-99T99%3A99"),
    ];

    /// <summary>What breaks text handling: sent to text fields, route segments and the return URL.</summary>
    public static readonly Value[] Text =
    [
        // Long, yet short enough for Kestrel's 8 KB request line, so it reaches the page in a query too.
        new("overlong", new string('x', 6_000)),
        new("NUL", "a%00b"),
        new("control characters", "%01%1B%5B31m%0D%0AX-Injected%3A%201"),
        new("non-ASCII", Uri.EscapeDataString("¿ünïcödé 🚀 \u202Eevil")),
        new("invalid UTF-8", "%FF%FE"),
        new("lone surrogate", "%ED%A0%80"),
        new("whitespace", "%20%09%20"),
        new("bad Base64", "%3C%3E%25"),
        new("script", Uri.EscapeDataString(Script)),
    ];

    /// <summary>Return URLs that lead off the site or cannot be sent in a Location header.</summary>
    public static readonly Value[] ReturnUrls =
    [
        new("/¿", "%2F%C2%BF"),
        new("//evil.example", "%2F%2Fevil.example"),
        new("/\\evil.example", "%2F%5Cevil.example"),
        new("https://evil.example", "https%3A%2F%2Fevil.example%2F"),
        new("javascript:", "javascript%3Aalert(1)"),
        new("/ with CR LF", "%2F%0D%0ASet-Cookie%3A%20x%3D1"),
    ];

    /// <summary>The values for a field of <paramref name="type"/> (text gets all of them).</summary>
    public static IEnumerable<Value> For(Type type, string name) =>
        IsReturnUrl(name) ? [.. ReturnUrls, .. Text, .. Malformed]
        : type == typeof(string) ? [.. Text, .. Malformed]
        : Malformed;

    public static bool IsReturnUrl(string name) => name.Equals("returnUrl", StringComparison.OrdinalIgnoreCase);

    /// <summary>Headers a forged request carries (one probe each), all of them ASCII so any client can send them.</summary>
    public static readonly (string Label, string Name, string Value)[] Headers =
    [
        ("Accept-Language junk", "Accept-Language", "zz-ZZZZZZZZZZ-x-;q=abc, *;q=2"),
        ("Accept junk", "Accept", "text/html;q=abc, */*;q=-1"),
        ("Referer off-site", "Referer", "//evil.example/"),
        ("User-Agent overlong", "User-Agent", new string('A', 8_000)),
        ("X-Forwarded-For junk", "X-Forwarded-For", "not-an-ip, 999.999.999.999"),
        ("X-Forwarded-Proto junk", "X-Forwarded-Proto", "gopher"),
        ("Cookie junk", "Cookie", ".AspNetCore.Mvc.CookieTempDataProvider=%%%junk; .AspNetCore.Antiforgery.x=junk"),
    ];

    /// <summary>Form bodies a browser would never send (one probe each), as (label, content type, body).</summary>
    public static readonly (string Label, string ContentType, string Body)[] Bodies =
    [
        ("form with an unknown charset", "application/x-www-form-urlencoded; charset=bogus", "a=b"),
        ("multipart without a boundary", "multipart/form-data", "a=b"),
        ("text/plain body", "text/plain", "a=b"),
        ("truncated escape", "application/x-www-form-urlencoded", "a=%E&b=%"),
    ];
}
