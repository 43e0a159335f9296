using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SaasStarter.Api.Keys;
using SaasStarter.Members;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Projects;

using SaasStarter.ApiKeys;

namespace SaasStarter.Tests.Browser;

/// <summary>The API reference at /scalar as an integrator uses it: paste a key, try an operation, see the answer.</summary>
public sealed class ScalarKeyTests(ITestOutputHelper output)
{
    /// <summary>
    /// Scalar's bundle (zod) probes whether it may compile code with <c>Function("")</c> and falls back when the CSP
    /// says no; the browser still reports the refusal. Anything else on the page is a problem.
    /// </summary>
    private const string EvalProbe = "CSP violation: script-src blocked eval at";

    [BrowserFact]
    public async Task A_key_pasted_into_the_reference_is_sent_as_a_bearer_token_and_not_stored_in_the_browser()
    {
        await using var run = await BrowserRun.StartAsync(output, "scalar");
        var world = await MemberWorld.FoundAsync(run.App);
        var key = await run.App.WithScopeAsync(async sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(world.Tenant, TenantRole.Owner);
            var created = await sp.GetRequiredService<ApiKeyIssuer>().CreateAsync(world.OwnerId, "scalar", [ProjectPermissions.Read], 30);
            Assert.True(created.Succeeded, created.Problem);
            return created.Value!.Key;
        });
        var page = await run.NewPersonAsync();
        await run.GotoOkAsync(page, "/scalar/");

        // The preferred scheme is offered at once: one field for the token.
        await page.GetByLabel("Bearer Token").First.FillAsync(key);
        await page.GetByText("The workspace the API key belongs to.").First.ClickAsync();
        await page.Locator("button.show-api-client-button").Filter(new() { HasText = "/api/v1/tenant" }).First.ClickAsync();
        await page.Locator("button").Filter(new() { HasText = "Send Request" }).First.ClickAsync();

        // GET /api/v1/tenant answers 200 with the key's own workspace only when the key went along.
        await page.GetByText($"\"{world.Tenant.Slug}\"").First.WaitForAsync();
        await run.ScreenshotAsync(page, "tenant-answered");
        var stored = await page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie");
        Assert.DoesNotContain(ApiKeySecret.Parse(key)!.Secret, stored, StringComparison.Ordinal);

        run.Problems.RemoveAll(p => p.Contains(EvalProbe, StringComparison.Ordinal) && p.Contains("/scalar/scalar.js", StringComparison.Ordinal));
        run.AssertNoProblems();
    }
}
