using System.Net;
using AngleSharp.Html.Parser;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>The account steps a person takes, through the real pages (Identity's form field names).</summary>
public static class AccountFlows
{
    public const string RegisterPath = "/Identity/Account/Register";
    public const string LoginPath = "/Identity/Account/Login";
    public const string LogoutPath = "/Identity/Account/Logout";
    public const string ManagePath = "/Identity/Account/Manage";

    /// <summary>A passphrase that satisfies the policy (12 to 128 characters, no composition rules).</summary>
    public const string GoodPassword = "correct horse battery staple";

    public static string UniqueEmail(string label) => $"{label}-{Guid.NewGuid():N}@example.com";

    /// <summary>A workspace name whose suggested address (/t/team-...) no other test takes.</summary>
    public static string UniqueWorkspace() => $"Team {Guid.NewGuid():N}"[..21];

    public static async Task<HttpResponseMessage> RegisterAsync(WebSession session, string email, string password)
    {
        var page = await session.GetAsync(RegisterPath);
        Assert.True(page.Status == HttpStatusCode.OK, $"GET {RegisterPath} answered {(int)page.Status}");
        return await session.SubmitAsync(page, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
            ["Input.WorkspaceName"] = UniqueWorkspace(),
        });
    }

    public static async Task<HttpResponseMessage> SignInAsync(WebSession session, string email, string password)
    {
        var page = await session.GetAsync(LoginPath);
        Assert.True(page.Status == HttpStatusCode.OK, $"GET {LoginPath} answered {(int)page.Status}");
        return await session.SubmitAsync(page, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
    }

    /// <summary>Asks for a password-reset email on the Forgot password page.</summary>
    public static async Task AskForPasswordResetAsync(WebSession session, string email)
    {
        var forgot = await session.GetAsync("/Identity/Account/ForgotPassword");
        var asked = await session.SubmitAsync(forgot, new Dictionary<string, string> { ["Input.Email"] = email });
        Assert.True(WebSession.IsRedirect(asked.StatusCode), $"ForgotPassword answered {(int)asked.StatusCode}");
    }

    /// <summary>Follows an emailed reset link and chooses <paramref name="password"/> on its page; fails unless that worked.</summary>
    public static async Task ResetPasswordAsync(WebSession session, Uri link, string email, string password)
    {
        var reset = await session.GetFollowingRedirectsAsync(link.PathAndQuery);
        var done = await session.SubmitAsync(reset, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });
        Assert.True(WebSession.IsRedirect(done.StatusCode) && done.Headers.Location!.ToString().Contains("ResetPasswordConfirmation", StringComparison.Ordinal),
            $"ResetPassword answered {(int)done.StatusCode} {done.Headers.Location}: {WebSession.Excerpt(await WebSession.ReadAsync(done))}");
    }

    /// <summary>Signs out through the sign-out form (POST with the anti-forgery token of any page of this session).</summary>
    public static async Task SignOutAsync(WebSession session)
    {
        var page = await session.GetAsync(ManagePath);
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), "No anti-forgery token on " + ManagePath);
        var response = await session.Client.PostAsync(LogoutPath,
            new FormUrlEncodedContent([new("__RequestVerificationToken", token!)]));
        Assert.True(response.IsSuccessStatusCode || WebSession.IsRedirect(response.StatusCode),
            $"POST {LogoutPath} answered {(int)response.StatusCode}");
    }

    /// <summary>The link a person clicks in an email (the confirmation link if there are several); the path and query are what count.</summary>
    public static Uri EmailLink(string htmlBody)
    {
        var document = new HtmlParser().ParseDocument(htmlBody);
        var hrefs = document.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToList();
        var href = hrefs.FirstOrDefault(h => h.Contains("onfirm", StringComparison.Ordinal)) ?? hrefs.FirstOrDefault();
        Assert.False(href is null, "No link in the email: " + htmlBody);
        return new Uri(new Uri("http://localhost"), href);
    }
}
