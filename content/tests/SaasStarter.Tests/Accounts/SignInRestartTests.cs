using System.Net;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// A sign-in survives a restart: the keys that protect its cookie live in the database, not in the process or its
/// machine, so a deploy or a crash does not sign everybody out. The built app as a process, started twice on one
/// database, each time with a home folder of its own (where data protection would otherwise keep its keys), as a new
/// container would be.
/// </summary>
[Collection(JobsAppProcess.Collection)]
public abstract class SignInRestartTests
{
    protected abstract Task<ProcessDatabase> NewDatabaseAsync();

    [ProviderFact]
    public async Task A_sign_in_still_works_after_the_app_restarts_on_the_same_database()
    {
        await using var database = await NewDatabaseAsync();
        var email = AccountFlows.UniqueEmail("restart");
        var cookies = new CookieContainer();
        var homes = new[] { Directory.CreateTempSubdirectory("saasstarter-home-"), Directory.CreateTempSubdirectory("saasstarter-home-") };
        try
        {
            await SignInThenRestartAsync(database, email, cookies, homes);
        }
        finally
        {
            foreach (var home in homes) home.Delete(recursive: true);
        }
    }

    private static async Task SignInThenRestartAsync(ProcessDatabase database, string email, CookieContainer cookies, DirectoryInfo[] homes)
    {
        await using (var first = await JobsAppProcess.StartAsync(database, new Dictionary<string, string>
        {
            ["HOME"] = homes[0].FullName,
            ["Setup__AdminEmail"] = email,
            ["Setup__AdminPassword"] = AccountFlows.GoodPassword,
        }))
        {
            using var session = SessionOn(first, cookies);
            var signedIn = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);
            Assert.True(SignInTests.IsSignedIn(signedIn), $"Sign-in answered {(int)signedIn.StatusCode} {signedIn.Headers.Location}");
            await AssertSignedInAsync(session, "before the restart");
            await first.TerminateAsync(TimeSpan.FromSeconds(60));
        }

        await using var second = await JobsAppProcess.StartAsync(database, new Dictionary<string, string> { ["HOME"] = homes[1].FullName });
        using var again = SessionOn(second, cookies);
        await AssertSignedInAsync(again, "after the restart");
    }

    private static async Task AssertSignedInAsync(WebSession session, string when)
    {
        using var dashboard = await session.Client.GetAsync("/dashboard");
        Assert.True(dashboard.StatusCode == HttpStatusCode.OK, $"/dashboard {when} answered {(int)dashboard.StatusCode} {dashboard.Headers.Location}");
    }

    /// <summary>A visitor of <paramref name="app"/> with <paramref name="cookies"/> (kept per host, whatever the port).</summary>
    private static WebSession SessionOn(JobsAppProcess app, CookieContainer cookies) =>
        new(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = app.Client.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        });

    public sealed class OnSqlite : SignInRestartTests
    {
        protected override Task<ProcessDatabase> NewDatabaseAsync() => Task.FromResult(ProcessDatabase.Sqlite());
    }

    public sealed class OnPostgres : SignInRestartTests, IRunsOnPostgres
    {
        protected override Task<ProcessDatabase> NewDatabaseAsync() => ProcessDatabase.PostgresAsync();
    }
}
