using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>A page as the server sent it: the response, its address and its parsed HTML.</summary>
public sealed record WebPage(HttpResponseMessage Response, Uri Address, IHtmlDocument Document, string Html)
{
    public HttpStatusCode Status => Response.StatusCode;

    public string Text => Document.Body?.TextContent ?? "";
}

/// <summary>
/// One browser-less visitor: a cookie jar, no automatic redirects, and forms filled the way a browser
/// would (every field the form carries, anti-forgery token included, plus the values a test types).
/// </summary>
public sealed class WebSession(HttpClient client) : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Client { get; } = client;

    public async Task<WebPage> GetAsync(string url)
    {
        var response = await Client.GetAsync(url);
        return await ReadAsync(response);
    }

    /// <summary>GETs the url and follows redirects (at most 10), as a browser would.</summary>
    public async Task<WebPage> GetFollowingRedirectsAsync(string url) => await FollowAsync(await Client.GetAsync(url));

    public async Task<WebPage> FollowAsync(HttpResponseMessage response)
    {
        for (var hops = 0; IsRedirect(response.StatusCode); hops++)
        {
            Assert.True(hops < 10, "More than 10 redirects from " + response.RequestMessage?.RequestUri);
            var next = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
            response = await Client.GetAsync(next);
        }
        return await ReadAsync(response);
    }

    public static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    /// <summary>
    /// Submits the form that contains a field named like the first of <paramref name="values"/> (or the one
    /// matching <paramref name="formSelector"/>), with the form's own fields plus these values.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitAsync(WebPage page, IReadOnlyDictionary<string, string> values, string? formSelector = null)
    {
        var form = FindForm(page, values.Keys, formSelector);
        var fields = FormFields(form);
        foreach (var (name, value) in values)
        {
            fields.RemoveAll(f => f.Key == name);
            fields.Add(new(name, value));
        }

        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? page.Address : new Uri(page.Address, action);
        return await Client.PostAsync(target, new FormUrlEncodedContent(fields));
    }

    private static IHtmlFormElement FindForm(WebPage page, IEnumerable<string> names, string? selector)
    {
        var forms = page.Document.Forms.ToList();
        if (selector is not null)
        {
            return page.Document.QuerySelector(selector) as IHtmlFormElement
                ?? throw new Xunit.Sdk.XunitException($"No form matches '{selector}' on {page.Address} ({page.Status}):\n{Excerpt(page)}");
        }
        var first = names.FirstOrDefault();
        var form = first is null
            ? forms.FirstOrDefault(f => f.Method.Equals("post", StringComparison.OrdinalIgnoreCase))
            : forms.FirstOrDefault(f => f.Elements.Any(e => e.GetAttribute("name") == first));
        return form ?? throw new Xunit.Sdk.XunitException(
            $"No form with a field '{first}' on {page.Address} ({(int)page.Status}). Forms there have fields: "
            + string.Join(" | ", forms.Select(f => string.Join(",", f.Elements.Select(e => e.GetAttribute("name")).OfType<string>())))
            + "\n" + Excerpt(page));
    }

    /// <summary>What a browser sends for a form without pressing a named button: checked boxes only, no buttons, no files.</summary>
    private static List<KeyValuePair<string, string>> FormFields(IHtmlFormElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || element.HasAttribute("disabled")) continue;
            switch (element)
            {
                case IHtmlInputElement input:
                    var type = (input.Type ?? "text").ToLowerInvariant();
                    if (type is "submit" or "button" or "image" or "reset" or "file") continue;
                    if (type is "checkbox" or "radio")
                    {
                        if (input.IsChecked) fields.Add(new(name, input.GetAttribute("value") ?? "on"));
                        continue;
                    }
                    fields.Add(new(name, input.GetAttribute("value") ?? ""));
                    break;
                case IHtmlTextAreaElement area:
                    fields.Add(new(name, area.TextContent));
                    break;
                case IHtmlSelectElement select:
                    var option = select.Options.FirstOrDefault(o => o.IsSelected) ?? select.Options.FirstOrDefault();
                    if (option is not null) fields.Add(new(name, option.Value));
                    break;
            }
        }
        return fields;
    }

    public static async Task<WebPage> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var document = await Parser.ParseDocumentAsync(html);
        return new(response, response.RequestMessage!.RequestUri!, document, html);
    }

    /// <summary>The visible text of a page, trimmed, for assertion messages.</summary>
    public static string Excerpt(WebPage page, int max = 1500)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(page.Text, @"\s+", " ").Trim();
        return text.Length <= max ? text : text[..max] + "…";
    }

    public void Dispose() => Client.Dispose();
}
