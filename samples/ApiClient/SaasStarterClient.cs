using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;

namespace ApiClient;

/// <summary>
/// A typed client for the projects endpoints of <c>/api/v1</c> (and the key's workspace), over one HttpClient. Every
/// method returns the DTO on success and throws <see cref="ApiProblemException"/> with the API's problem otherwise;
/// 429 is retried by <see cref="RetryOn429Handler"/> before it gets here.
/// </summary>
public sealed class SaasStarterClient(HttpClient http)
{
    /// <summary>A client for the app at <paramref name="baseUrl"/> sending <paramref name="apiKey"/> as a bearer token.</summary>
    public static SaasStarterClient Create(Uri baseUrl, string apiKey, Action<string>? log = null)
    {
        var handler = new RetryOn429Handler(log: log) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } };
        // A trailing slash, so "api/v1/..." lands under any path the app is hosted at.
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        var http = new HttpClient(handler) { BaseAddress = root, Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("SaasStarter-ApiClient-Sample", "1.0"));
        return new SaasStarterClient(http);
    }

    public async Task<Workspace> GetWorkspaceAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/v1/tenant"), cancellationToken);
        return await ReadAsync<Workspace>(response, cancellationToken);
    }

    /// <summary>One page: <paramref name="status"/> "active" or "archived"; <paramref name="sort"/> e.g. "name" or "-updatedAt".</summary>
    public async Task<PagedList<Project>> ListProjectsAsync(int page = 1, int pageSize = 25, string? status = null, string? sort = null,
        CancellationToken cancellationToken = default)
    {
        var query = $"page={page}&pageSize={pageSize}";
        if (status is not null) query += $"&status={Uri.EscapeDataString(status)}";
        if (sort is not null) query += $"&sort={Uri.EscapeDataString(sort)}";
        return await ListAsync($"api/v1/projects?{query}", cancellationToken);
    }

    /// <summary>Every project, page after page, following the <c>next</c> link the API gives (so filters carry over).</summary>
    public async IAsyncEnumerable<(Project Project, int Page)> ListAllProjectsAsync(int pageSize = 25, string? status = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = await ListProjectsAsync(1, pageSize, status, cancellationToken: cancellationToken);
        while (true)
        {
            foreach (var project in page.Items) yield return (project, page.Page);
            if (page.Links.Next is not { } next) yield break;
            page = await ListAsync(next, cancellationToken);
        }
    }

    /// <summary>
    /// Creates a project. Send the same <paramref name="idempotencyKey"/> when you retry after a timeout or a lost
    /// connection: within 24 hours the API answers with the first result instead of creating a second project.
    /// </summary>
    public async Task<CreatedResource<Project>> CreateProjectAsync(NewProject project, string idempotencyKey,
        CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/projects") { Content = JsonContent.Create(project, options: ApiJson.Options) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await SendAsync(request, cancellationToken);
        var created = await ReadAsync<Project>(response, cancellationToken);
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values)
                       && values.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase));
        return new CreatedResource<Project>(created, ETagOf(response), response.Headers.Location, replayed);
    }

    public async Task<Versioned<Project>> GetProjectAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"api/v1/projects/{id}"), cancellationToken);
        return new Versioned<Project>(await ReadAsync<Project>(response, cancellationToken), ETagOf(response));
    }

    /// <summary>
    /// Replaces the project's editable state. With <paramref name="ifMatch"/> (the ETag you read) the API refuses with
    /// 412 when someone changed the project since; without it the last write wins.
    /// </summary>
    public async Task<Versioned<Project>> UpdateProjectAsync(Guid id, ProjectChanges changes, string? ifMatch,
        CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/v1/projects/{id}") { Content = JsonContent.Create(changes, options: ApiJson.Options) };
        IfMatch(request, ifMatch);
        using var response = await SendAsync(request, cancellationToken);
        return new Versioned<Project>(await ReadAsync<Project>(response, cancellationToken), ETagOf(response));
    }

    public async Task DeleteProjectAsync(Guid id, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"api/v1/projects/{id}");
        IfMatch(request, ifMatch);
        using var response = await SendAsync(request, cancellationToken);
    }

    private async Task<PagedList<Project>> ListAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
        return await ReadAsync<PagedList<Project>>(response, cancellationToken);
    }

    /// <summary>Sends the request; a failed answer becomes an <see cref="ApiProblemException"/> carrying the API's problem.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode) return response;
            using (response)
            {
                throw new ApiProblemException(await ApiProblem.ReadAsync(response, cancellationToken));
            }
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken)
        ?? throw new InvalidOperationException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri} had no body.");

    private static string ETagOf(HttpResponseMessage response) =>
        response.Headers.ETag?.ToString() ?? throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered without an ETag.");

    private static void IfMatch(HttpRequestMessage request, string? etag)
    {
        if (etag is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
    }
}
