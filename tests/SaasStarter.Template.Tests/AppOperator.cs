using System.Net;
using System.Text.RegularExpressions;

namespace SaasStarter.Template.Tests;

/// <summary>
/// A person at a started app, over plain HTTP with a cookie jar: signs in through the sign-in form, creates a
/// workspace and an API key through their pages, filling each form from the HTML the app sent (its anti-forgery
/// token and hidden fields included), as a browser would.
/// </summary>
public sealed partial class AppOperator : IDisposable
{
    private readonly HttpClient _client;

    private AppOperator(Uri baseAddress)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        _client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<AppOperator> SignInAsync(Uri baseAddress, string email, string password)
    {
        var person = new AppOperator(baseAddress);
        using var signedIn = await person.SubmitAsync("/Identity/Account/Login", "account",
            [new("Input.Email", email), new("Input.Password", password)]);
        if (signedIn.StatusCode != HttpStatusCode.Redirect || signedIn.Headers.Location?.OriginalString.Contains("Login", StringComparison.Ordinal) == true)
        {
            throw new Xunit.Sdk.XunitException($"Signing in as {email} answered {(int)signedIn.StatusCode} " +
                                               $"(to {signedIn.Headers.Location}):\n{Text(await signedIn.Content.ReadAsStringAsync())}");
        }
        return person;
    }

    /// <summary>Creates a workspace with this person as owner; returns its slug.</summary>
    public async Task<string> CreateWorkspaceAsync(string name, string slug)
    {
        using var created = await SubmitAsync("/tenants/new", "new-tenant-form", [new("Input.Name", name), new("Input.Slug", slug)]);
        var location = created.Headers.Location?.OriginalString ?? "";
        Assert.True(created.StatusCode == HttpStatusCode.Redirect && location.Contains($"/t/{slug}", StringComparison.Ordinal),
            $"Creating workspace {slug} answered {(int)created.StatusCode} (to '{location}'):\n{Text(await created.Content.ReadAsStringAsync())}");
        return slug;
    }

    /// <summary>Creates an API key in the workspace; returns the secret, which the page shows this once.</summary>
    public async Task<string> CreateApiKeyAsync(string slug, string name, params string[] scopes)
    {
        using var created = await SubmitAsync($"/t/{slug}/api-keys", "create-key-form",
            [new("Name", name), new("ExpiresInDays", "30"), .. scopes.Select(s => new KeyValuePair<string, string>("Scopes", s))]);
        var html = await created.Content.ReadAsStringAsync();
        var key = NewKey().Match(html);
        Assert.True(created.StatusCode == HttpStatusCode.OK && key.Success,
            $"Creating API key '{name}' answered {(int)created.StatusCode} without #new-key-value:\n{Text(html)}");
        return WebUtility.HtmlDecode(key.Groups["key"].Value).Trim();
    }

    /// <summary>GETs the page, finds the form by id, and posts its hidden fields plus <paramref name="values"/> to its action.</summary>
    private async Task<HttpResponseMessage> SubmitAsync(string path, string formId, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        using var page = await _client.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)page.StatusCode}:\n{Text(html)}");
        var form = Form().Matches(html).FirstOrDefault(f => Attribute(f.Groups["tag"].Value, "id") == formId)
                   ?? throw new Xunit.Sdk.XunitException($"GET {path} has no form#{formId}:\n{Text(html)}");

        var fields = new List<KeyValuePair<string, string>>();
        foreach (Match input in Input().Matches(form.Groups["body"].Value))
        {
            var tag = input.Value;
            if (Attribute(tag, "type") == "hidden" && Attribute(tag, "name") is { } name)
            {
                fields.Add(new(name, Attribute(tag, "value") ?? ""));
            }
        }
        var overridden = values.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        fields.RemoveAll(f => overridden.Contains(f.Key));
        fields.AddRange(values);
        Assert.True(fields.Any(f => f.Key == "__RequestVerificationToken"), $"form#{formId} on {path} carries no anti-forgery token");

        var action = Attribute(form.Groups["tag"].Value, "action");
        var target = new Uri(page.RequestMessage!.RequestUri!, string.IsNullOrEmpty(action) ? path : action);
        return await _client.PostAsync(target, new FormUrlEncodedContent(fields));
    }

    private static string? Attribute(string tag, string name) =>
        AttributeValue().Matches(tag).FirstOrDefault(m => m.Groups["name"].Value.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } match
            ? WebUtility.HtmlDecode(match.Groups["value"].Value)
            : null;

    /// <summary>The page's visible text, shortened, for failure messages.</summary>
    private static string Text(string html)
    {
        var text = Whitespace().Replace(Tags().Replace(html, " "), " ").Trim();
        return text.Length <= 1500 ? text : text[..1500] + "…";
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex(@"<form\b(?<tag>[^>]*)>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Form();

    [GeneratedRegex(@"<input\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Input();

    [GeneratedRegex(@"\b(?<name>[\w.-]+)\s*=\s*""(?<value>[^""]*)""")]
    private static partial Regex AttributeValue();

    [GeneratedRegex(@"<code\b[^>]*\bid=""new-key-value""[^>]*>(?<key>[^<]+)</code>")]
    private static partial Regex NewKey();

    [GeneratedRegex(@"<(script|style)\b.*?</\1>|<[^>]+>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
