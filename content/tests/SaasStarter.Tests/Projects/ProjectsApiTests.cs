using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Api.Idempotency;
using SaasStarter.Api.Keys;
using SaasStarter.Audit;
using SaasStarter.Members;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Core;

using SaasStarter.ApiKeys;

namespace SaasStarter.Tests.Projects;

/// <summary>/api/v1/projects: paging, ETags and If-Match, idempotent creation, scopes and tenant isolation.</summary>
public abstract class ProjectsApiTests(AppFactory factory)
{
    private static readonly string[] ReadWrite = [ProjectPermissions.Read, ProjectPermissions.Write];

    private readonly RaceGate gate = RaceGate.Of(factory);

    [ProviderFact]
    public async Task The_list_pages_filters_and_sorts_with_links_that_keep_the_filters()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, [ProjectPermissions.Read]);
        var start = DateTime.UtcNow.AddDays(-1);
        await SeedAsync(world, ("Cedar", ProjectStatus.Active, start.AddMinutes(3)), ("Apple", ProjectStatus.Active, start.AddMinutes(1)),
            ("Birch", ProjectStatus.Active, start.AddMinutes(5)), ("Dusk", ProjectStatus.Archived, start.AddMinutes(2)),
            ("Elm", ProjectStatus.Archived, start.AddMinutes(4)));

        var first = await ListAsync(key, "?status=active&sort=name&pageSize=2");
        Assert.Equal(["Apple", "Birch"], Names(first));
        Assert.Equal((1, 2, 3), (first.GetProperty("page").GetInt32(), first.GetProperty("pageSize").GetInt32(), first.GetProperty("total").GetInt32()));
        var links = first.GetProperty("links");
        Assert.Equal(Link(page: 1), Parsed(links.GetProperty("self")));
        Assert.Equal(Link(page: 2), Parsed(links.GetProperty("next")));
        Assert.Equal(JsonValueKind.Null, links.GetProperty("prev").ValueKind);

        static string Link(int page) => $"/api/v1/projects?page={page}&pageSize=2&sort=name&status=active";
        static string Parsed(JsonElement link)
        {
            var uri = new Uri(new Uri("http://localhost"), link.GetString());
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).OrderBy(q => q.Key, StringComparer.Ordinal);
            return $"{uri.AbsolutePath}?{string.Join('&', query.Select(q => $"{q.Key}={q.Value}"))}";
        }

        var second = await ListAsync(key, links.GetProperty("next").GetString()!["/api/v1/projects".Length..]);
        Assert.Equal(["Cedar"], Names(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("links").GetProperty("next").ValueKind);
        Assert.Equal(Link(page: 1), Parsed(second.GetProperty("links").GetProperty("prev")));

        // Newest change first by default; the archived only when asked; every order available both ways.
        Assert.Equal(["Birch", "Elm", "Cedar", "Dusk", "Apple"], Names(await ListAsync(key, "")));
        Assert.Equal(["Elm", "Dusk"], Names(await ListAsync(key, "?status=archived&sort=-name")));
        Assert.Equal(["Apple", "Dusk", "Cedar", "Elm", "Birch"], Names(await ListAsync(key, "?sort=updatedAt")));
        Assert.Equal(25, (await ListAsync(key, "")).GetProperty("pageSize").GetInt32());
        var item = (await ListAsync(key, "?sort=createdAt&pageSize=1")).GetProperty("items")[0];
        Assert.Equal("Cedar", item.GetProperty("name").GetString()); // seeded first
        Assert.Equal(("active", 1), (item.GetProperty("status").GetString(), item.GetProperty("version").GetInt32()));
    }

    [ProviderFact]
    public async Task A_page_far_past_the_end_is_empty_not_an_error()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, [ProjectPermissions.Read]);
        await SeedAsync(world, ("Only", ProjectStatus.Active, DateTime.UtcNow));

        // (page - 1) × pageSize overflows an int here: PostgreSQL refused the negative OFFSET it made (a 500).
        var last = await ListAsync(key, $"?page={int.MaxValue}&pageSize=100");

        Assert.Empty(Names(last));
        Assert.Equal((int.MaxValue, 1), (last.GetProperty("page").GetInt32(), last.GetProperty("total").GetInt32()));
    }

    [ProviderTheory]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?page=0", "page")]
    [InlineData("?status=deleted", "status")]
    [InlineData("?sort=size", "sort")]
    public async Task Out_of_range_paging_and_unknown_filters_get_400_naming_the_field(string query, string field)
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, [ProjectPermissions.Read]);

        using var response = await SendAsync(HttpMethod.Get, $"/api/v1/projects{query}", key);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [ProviderFact]
    public async Task A_project_reads_with_its_version_as_a_strong_etag_and_utc_times()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, [ProjectPermissions.Read]);
        var id = (await SeedAsync(world, ("Apollo", ProjectStatus.Archived, DateTime.UtcNow)))[0];

        using var response = await SendAsync(HttpMethod.Get, $"/api/v1/projects/{id}", key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new EntityTagHeaderValue("\"1\""), response.Headers.ETag);
        var project = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, project.GetProperty("id").GetGuid());
        Assert.Equal(("Apollo", "archived", 1), (project.GetProperty("name").GetString(), project.GetProperty("status").GetString(), project.GetProperty("version").GetInt32()));
        Assert.Equal(JsonValueKind.Null, project.GetProperty("description").ValueKind);
        Assert.EndsWith("Z", project.GetProperty("createdAtUtc").GetString());
        Assert.EndsWith("Z", project.GetProperty("updatedAtUtc").GetString());
        await ProblemAsync(await SendAsync(HttpMethod.Get, $"/api/v1/projects/{Guid.NewGuid()}", key), HttpStatusCode.NotFound);
    }

    [ProviderFact]
    public async Task Creating_answers_201_with_location_and_etag_and_audits_the_key_as_actor()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, ReadWrite);

        using var created = await SendAsync(HttpMethod.Post, "/api/v1/projects", key, new { name = "  Apollo  ", description = "To the moon" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/projects/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        Assert.Equal(("Apollo", "To the moon", "active"), (body.GetProperty("name").GetString(), body.GetProperty("description").GetString(), body.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, created.Headers.Location!.OriginalString, key)).StatusCode);

        var stored = await factory.InTenantAsync(world.Tenant, db => db.Projects.AsNoTracking().SingleAsync());
        Assert.Equal((id, "Apollo", world.Tenant.Id, 1), (stored.Id, stored.Name, stored.TenantId, stored.Version));
        var audit = await AuditAsync(world, ProjectAudit.Created);
        Assert.Equal(world.OwnerId, audit.ActorUserId);
        Assert.Equal($"api key \"test key\" ({ApiKeySecret.Prefix}{ApiKeySecret.Parse(key)!.PublicId}…)", audit.ActorEmail);
        Assert.Contains(id.ToString(), audit.Detail);
    }

    [ProviderFact]
    public async Task Invalid_bodies_get_400_listing_each_field_and_create_nothing()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, ReadWrite);

        var empty = await ProblemAsync(await SendAsync(HttpMethod.Post, "/api/v1/projects", key, new { name = " " }), HttpStatusCode.BadRequest);
        var tooLong = await ProblemAsync(await SendAsync(HttpMethod.Post, "/api/v1/projects", key,
            new { name = new string('n', Project.MaxNameLength + 1), description = new string('d', Project.MaxDescriptionLength + 1) }), HttpStatusCode.BadRequest);
        var noName = await ProblemAsync(await SendAsync(HttpMethod.Post, "/api/v1/projects", key, new { description = "x" }), HttpStatusCode.BadRequest);

        Assert.Equal(["name"], Fields(empty));
        Assert.Equal(["description", "name"], Fields(tooLong));
        Assert.Equal(["name"], Fields(noName));
        Assert.Contains("100", tooLong.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Equal(0, await factory.InTenantAsync(world.Tenant, db => db.Projects.CountAsync()));
    }

    [ProviderFact]
    public async Task A_repeated_post_with_one_idempotency_key_creates_once_and_replays_the_first_response()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, ReadWrite);
        var otherKey = await CreateKeyAsync(world, ReadWrite);
        var body = new { name = "Apollo", description = "once" };

        using var first = await SendAsync(HttpMethod.Post, "/api/v1/projects", key, body, Idempotency("order-42"));
        using var again = await SendAsync(HttpMethod.Post, "/api/v1/projects", key, body, Idempotency("order-42"));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        Assert.False(first.Headers.Contains(IdempotentRequests.ReplayedHeader));
        Assert.Equal(["true"], again.Headers.GetValues(IdempotentRequests.ReplayedHeader));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal(first.Content.Headers.ContentType, again.Content.Headers.ContentType);
        Assert.Equal(1, await factory.InTenantAsync(world.Tenant, db => db.Projects.CountAsync()));

        // The same key with another body is a client mistake, not a new request.
        var reused = await ProblemAsync(await SendAsync(HttpMethod.Post, "/api/v1/projects", key, new { name = "Gemini" }, Idempotency("order-42")),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal(ProblemTypes.IdempotencyKeyReused, reused.GetProperty("type").GetString());
        Assert.Equal(1, await factory.InTenantAsync(world.Tenant, db => db.Projects.CountAsync()));

        // Keys are per API key: another key's "order-42" is its own request.
        using var other = await SendAsync(HttpMethod.Post, "/api/v1/projects", otherKey, body, Idempotency("order-42"));
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.False(other.Headers.Contains(IdempotentRequests.ReplayedHeader));
        Assert.Equal(2, await factory.InTenantAsync(world.Tenant, db => db.Projects.CountAsync()));
        Assert.Equal(2, await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.CountAsync(e => e.Action == ProjectAudit.Created)));
    }

    [ProviderFact]
    public async Task Parallel_repeats_with_one_idempotency_key_create_one_project_and_all_get_its_response()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, ReadWrite);

        // All six have looked for the key's record, found none, and are about to claim it (their transaction's start).
        var race = gate.Start(6, RacePoint.TransactionStart);
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            SendAsync(HttpMethod.Post, "/api/v1/projects", key, new { name = "Race" }, race.Mark(Idempotency("same-everywhere")))));

        Assert.Equal(6, race.Arrived);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Headers.Location).Distinct());
        Assert.Single(responses, r => !r.Headers.Contains(IdempotentRequests.ReplayedHeader));
        Assert.Equal(1, await factory.InTenantAsync(world.Tenant, db => db.Projects.CountAsync()));
        Assert.Equal(1, await factory.InTenantAsync(world.Tenant, db => db.IdempotencyRecords.CountAsync()));
    }

    [ProviderFact]
    public async Task A_refused_request_does_not_hold_its_idempotency_key_and_an_expired_one_is_forgotten()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, ReadWrite);

        await ProblemAsync(await SendAsync(HttpMethod.Post, "/api/v1/projects", key, new { name = "" }, Idempotency("k1")), HttpStatusCode.BadRequest);
        using var corrected = await SendAsync(HttpMethod.Post, "/api/v1/projects", key, new { name = "Fixed" }, Idempotency("k1"));
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);

        // After the window the key is free again: the same request is new work.
        await factory.InTenantAsync(world.Tenant, db => db.IdempotencyRecords
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAtUtc, DateTime.UtcNow - IdempotentRequests.Window - TimeSpan.FromMinutes(1))));
        using var later = await SendAsync(HttpMethod.Post, "/api/v1/projects", key, new { name = "Fixed" }, Idempotency("k1"));
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.False(later.Headers.Contains(IdempotentRequests.ReplayedHeader));
        Assert.NotEqual(corrected.Headers.Location, later.Headers.Location);
        Assert.Equal(2, await factory.InTenantAsync(world.Tenant, db => db.Projects.CountAsync()));
        Assert.Equal(1, await factory.InTenantAsync(world.Tenant, db => db.IdempotencyRecords.CountAsync()));

        var badKey = await ProblemAsync(await SendAsync(HttpMethod.Post, "/api/v1/projects", key, new { name = "x" }, Idempotency(new string('k', 101))),
            HttpStatusCode.BadRequest);
        Assert.Equal([IdempotentRequests.KeyHeader], Fields(badKey));
    }

    [ProviderFact]
    public async Task Put_with_a_matching_if_match_saves_and_moves_the_etag_and_a_stale_one_gets_412_and_changes_nothing()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, ReadWrite);
        var id = (await SeedAsync(world, ("Apollo", ProjectStatus.Active, DateTime.UtcNow.AddHours(-1))))[0];

        using var saved = await SendAsync(HttpMethod.Put, $"/api/v1/projects/{id}", key,
            new { name = "Apollo 11", description = "Landed", status = "archived" }, IfMatch("\"1\""));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("\"2\"", saved.Headers.ETag?.Tag);
        var body = await saved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Apollo 11", "archived", 2), (body.GetProperty("name").GetString(), body.GetProperty("status").GetString(), body.GetProperty("version").GetInt32()));
        var afterSave = await ProjectAsync(world, id);
        Assert.InRange(afterSave.UpdatedAtUtc, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1));
        var audit = await AuditAsync(world, ProjectAudit.Updated);
        Assert.Equal(world.OwnerId, audit.ActorUserId);
        Assert.Contains("\"status\"", audit.Detail);

        using var stale = await SendAsync(HttpMethod.Put, $"/api/v1/projects/{id}", key, new { name = "Overwrite", status = "active" }, IfMatch("\"1\""));
        await ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.Equal("\"2\"", stale.Headers.ETag?.Tag);
        var afterStale = await ProjectAsync(world, id);
        Assert.Equal(("Apollo 11", "Landed", ProjectStatus.Archived, 2), (afterStale.Name, afterStale.Description, afterStale.Status, afterStale.Version));

        // Weak tags never match If-Match; a bare number is not an ETag at all.
        await ProblemAsync(await SendAsync(HttpMethod.Put, $"/api/v1/projects/{id}", key, new { name = "Weak", status = "active" }, IfMatch("W/\"2\"")),
            HttpStatusCode.PreconditionFailed);
        var malformed = await ProblemAsync(await SendAsync(HttpMethod.Put, $"/api/v1/projects/{id}", key, new { name = "Bare", status = "active" }, IfMatch("2")),
            HttpStatusCode.BadRequest);
        Assert.Equal(["If-Match"], Fields(malformed));
        Assert.Equal(2, (await ProjectAsync(world, id)).Version);

        // Without If-Match the write applies (last write wins); an identical one saves nothing and keeps the version.
        using var blind = await SendAsync(HttpMethod.Put, $"/api/v1/projects/{id}", key, new { name = "Apollo 12", status = "active" });
        Assert.Equal("\"3\"", blind.Headers.ETag?.Tag);
        using var same = await SendAsync(HttpMethod.Put, $"/api/v1/projects/{id}", key, new { name = "Apollo 12", status = "active" }, IfMatch("\"3\""));
        Assert.Equal((HttpStatusCode.OK, "\"3\""), (same.StatusCode, same.Headers.ETag?.Tag));
        Assert.Equal(2, await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.CountAsync(e => e.Action == ProjectAudit.Updated)));

        var invalid = await ProblemAsync(await SendAsync(HttpMethod.Put, $"/api/v1/projects/{id}", key, new { name = "", status = "gone" }), HttpStatusCode.BadRequest);
        Assert.Equal(["name", "status"], Fields(invalid));
    }

    [ProviderFact]
    public async Task Two_concurrent_puts_with_the_same_if_match_give_one_200_and_one_412()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, ReadWrite);
        var id = (await SeedAsync(world, ("Apollo", ProjectStatus.Active, DateTime.UtcNow)))[0];

        // Both have read version 1 (If-Match met) and are about to save.
        var race = gate.Start(2, RacePoint.Save);
        var responses = await Task.WhenAll(new[] { "Left", "Right" }.Select(name =>
            SendAsync(HttpMethod.Put, $"/api/v1/projects/{id}", key, new { name, status = "active" }, race.Mark(IfMatch("\"1\"")))));

        Assert.Equal(2, race.Arrived);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], responses.Select(r => r.StatusCode).Order());
        var winner = await responses.Single(r => r.IsSuccessStatusCode).Content.ReadFromJsonAsync<JsonElement>();
        var saved = await ProjectAsync(world, id);
        Assert.Equal((winner.GetProperty("name").GetString(), 2), (saved.Name, saved.Version));
    }

    [ProviderTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_write_that_loses_a_race_after_reading_is_refused_by_the_version_not_just_the_header(bool sendIfMatch)
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, ReadWrite);
        var id = (await SeedAsync(world, ("Apollo", ProjectStatus.Active, DateTime.UtcNow)))[0];
        // Another writer saves between the endpoint's read (version 1, If-Match met) and its UPDATE.
        await using var interloper = new ProjectInterloper(factory, world.Tenant, id);
        var app = interloper.App;

        using var response = await SendAsync(app, HttpMethod.Put, $"/api/v1/projects/{id}", key, new { name = "Mine", status = "active" },
            sendIfMatch ? IfMatch("\"1\"") : null);

        Assert.True(interloper.Struck);
        var saved = await ProjectAsync(world, id);
        if (sendIfMatch)
        {
            await ProblemAsync(response, HttpStatusCode.PreconditionFailed);
            Assert.Equal((ProjectInterloper.TheirName, 2), (saved.Name, saved.Version));
            Assert.Equal(0, await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.CountAsync(e => e.Action == ProjectAudit.Updated)));
        }
        else
        {
            // No precondition: the endpoint reads the interloper's version and applies the request over it.
            Assert.Equal((HttpStatusCode.OK, "\"3\""), (response.StatusCode, response.Headers.ETag?.Tag));
            Assert.Equal(("Mine", 3), (saved.Name, saved.Version));
            Assert.Equal(1, await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.CountAsync(e => e.Action == ProjectAudit.Updated)));
        }
    }

    [ProviderFact]
    public async Task Delete_answers_204_honours_if_match_and_is_audited()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, ReadWrite);
        var ids = await SeedAsync(world, ("Keep", ProjectStatus.Active, DateTime.UtcNow), ("Drop", ProjectStatus.Active, DateTime.UtcNow));
        await factory.InTenantAsync(world.Tenant, async db =>
        {
            var keep = await db.Projects.SingleAsync(p => p.Id == ids[0]);
            keep.Name = "Kept";
            return await db.SaveChangesAsync();
        });

        await ProblemAsync(await SendAsync(HttpMethod.Delete, $"/api/v1/projects/{ids[0]}", key, headers: IfMatch("\"1\"")), HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/v1/projects/{ids[1]}", key, headers: IfMatch("\"1\""))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/v1/projects/{ids[0]}", key)).StatusCode);

        Assert.Equal(0, await factory.InTenantAsync(world.Tenant, db => db.Projects.CountAsync()));
        await ProblemAsync(await SendAsync(HttpMethod.Get, $"/api/v1/projects/{ids[1]}", key), HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(HttpMethod.Delete, $"/api/v1/projects/{ids[1]}", key), HttpStatusCode.NotFound);
        Assert.Equal(["Drop", "Kept"], (await factory.InTenantAsync(world.Tenant, db => db.AuditEvents
            .Where(e => e.Action == ProjectAudit.Deleted).Select(e => e.Target!).ToListAsync())).Order());
    }

    [ProviderFact]
    public async Task A_read_only_key_reads_but_gets_403_on_every_write()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, [ProjectPermissions.Read]);
        var id = (await SeedAsync(world, ("Apollo", ProjectStatus.Active, DateTime.UtcNow)))[0];

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/api/v1/projects/{id}", key)).StatusCode);
        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
                 {
                     (HttpMethod.Post, "/api/v1/projects", new { name = "New" }),
                     (HttpMethod.Put, $"/api/v1/projects/{id}", new { name = "Changed", status = "active" }),
                     (HttpMethod.Delete, $"/api/v1/projects/{id}", null),
                 })
        {
            var problem = await ProblemAsync(await SendAsync(method, path, key, body), HttpStatusCode.Forbidden);
            Assert.Equal(ProblemTypes.MissingScope, problem.GetProperty("type").GetString());
        }
        var project = await ProjectAsync(world, id);
        Assert.Equal(("Apollo", 1), (project.Name, project.Version));
        Assert.Equal(1, await factory.InTenantAsync(world.Tenant, db => db.Projects.CountAsync()));
    }

    [ProviderFact]
    public async Task Another_tenants_project_is_404_to_get_put_and_delete_and_stays_as_it_was()
    {
        var mine = await MemberWorld.FoundAsync(factory);
        var theirs = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(mine, ReadWrite);
        var id = (await SeedAsync(theirs, ("Their secret", ProjectStatus.Active, DateTime.UtcNow)))[0];

        var responses = new[]
        {
            await SendAsync(HttpMethod.Get, $"/api/v1/projects/{id}", key),
            await SendAsync(HttpMethod.Put, $"/api/v1/projects/{id}", key, new { name = "Mine now", status = "archived" }),
            await SendAsync(HttpMethod.Put, $"/api/v1/projects/{id}", key, new { name = "Mine now", status = "archived" }, IfMatch("*")),
            await SendAsync(HttpMethod.Delete, $"/api/v1/projects/{id}", key),
        };

        foreach (var response in responses)
        {
            await ProblemAsync(response, HttpStatusCode.NotFound);
        }
        Assert.Empty((await ListAsync(key, "")).GetProperty("items").EnumerateArray());
        var untouched = await ProjectAsync(theirs, id);
        Assert.Equal(("Their secret", ProjectStatus.Active, 1), (untouched.Name, untouched.Status, untouched.Version));
    }

    [ProviderFact]
    public async Task An_edit_in_the_pages_moves_the_version_the_api_sees()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, ReadWrite);
        var id = (await SeedAsync(world, ("Apollo", ProjectStatus.Active, DateTime.UtcNow.AddHours(-1))))[0];
        using var session = await factory.SignedInSessionAsync(world.OwnerEmail);

        var page = await session.GetAsync($"/t/{world.Tenant.Slug}/projects/{id}");
        var edited = await session.SubmitAsync(page, new Dictionary<string, string> { ["Input.Name"] = "Apollo (edited)" }, "#project-form");
        Assert.True(WebSession.IsRedirect(edited.StatusCode), $"edit answered {(int)edited.StatusCode}");
        var archived = await session.SubmitAsync(await session.FollowAsync(edited), new Dictionary<string, string>(), "#project-status-form");
        Assert.True(WebSession.IsRedirect(archived.StatusCode), $"archive answered {(int)archived.StatusCode}");

        using var read = await SendAsync(HttpMethod.Get, $"/api/v1/projects/{id}", key);
        Assert.Equal("\"3\"", read.Headers.ETag?.Tag);
        var project = await ProjectAsync(world, id);
        Assert.Equal(("Apollo (edited)", ProjectStatus.Archived, 3), (project.Name, project.Status, project.Version));
        Assert.InRange(project.UpdatedAtUtc, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1));
        await ProblemAsync(await SendAsync(HttpMethod.Put, $"/api/v1/projects/{id}", key, new { name = "Stale", status = "active" }, IfMatch("\"1\"")),
            HttpStatusCode.PreconditionFailed);
    }

    private static Dictionary<string, string> Idempotency(string key) => new() { [IdempotentRequests.KeyHeader] = key };

    private static Dictionary<string, string> IfMatch(string tag) => new() { ["If-Match"] = tag };

    private static List<string> Names(JsonElement list) =>
        [.. list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];

    private static List<string> Fields(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("traceId", out _), text);
        return problem;
    }

    private async Task<JsonElement> ListAsync(string key, string query)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/v1/projects{query}", key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, object? body = null, Dictionary<string, string>? headers = null) =>
        SendAsync(factory, method, path, key, body, headers);

    private static async Task<HttpResponseMessage> SendAsync(WebApplicationFactory<Program> app, HttpMethod method, string path, string key,
        object? body = null, Dictionary<string, string>? headers = null)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        foreach (var (name, value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<List<Guid>> SeedAsync(MemberWorld world, params (string Name, ProjectStatus Status, DateTime UpdatedAtUtc)[] projects)
    {
        var ids = new List<Guid>();
        foreach (var (name, status, updatedAtUtc) in projects)
        {
            ids.Add(await factory.InTenantAsync(world.Tenant, async db =>
            {
                var project = new Project { Name = name, Status = status, UpdatedAtUtc = updatedAtUtc };
                db.Projects.Add(project);
                await db.SaveChangesAsync();
                return project.Id;
            }));
        }
        return ids;
    }

    private Task<Project> ProjectAsync(MemberWorld world, Guid id) =>
        factory.InTenantAsync(world.Tenant, db => db.Projects.AsNoTracking().SingleAsync(p => p.Id == id));

    private Task<AuditEvent> AuditAsync(MemberWorld world, string action) =>
        factory.InTenantAsync(world.Tenant, db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == action));

    private Task<string> CreateKeyAsync(MemberWorld world, string[] scopes) =>
        factory.WithScopeAsync(async sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(world.Tenant, TenantRole.Owner);
            var created = await sp.GetRequiredService<ApiKeyIssuer>().CreateAsync(world.OwnerId, "test key", scopes, null);
            Assert.True(created.Succeeded, created.Problem);
            return created.Value!.Key;
        });

    public sealed class OnSqlite(SqliteAppFactory factory) : ProjectsApiTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : ProjectsApiTests(factory), IClassFixture<PostgresAppFactory>;
}
