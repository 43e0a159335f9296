using System.Net;
using ApiClient;

// Usage: dotnet run -- [--url <app url>] [--key <api key>] [tour|workspace]
// The URL and key may come from SAASSTARTER_URL and SAASSTARTER_API_KEY instead (better: keys stay out of shell history).
const string Usage = "Usage: ApiClient [--url <app url>] [--key <api key>] [tour|workspace]\n" +
                     "       (or set SAASSTARTER_URL and SAASSTARTER_API_KEY)";

string? url = Environment.GetEnvironmentVariable("SAASSTARTER_URL");
string? key = Environment.GetEnvironmentVariable("SAASSTARTER_API_KEY");
var command = "tour";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--url" when i + 1 < args.Length: url = args[++i]; break;
        case "--key" when i + 1 < args.Length: key = args[++i]; break;
        case "tour" or "workspace": command = args[i]; break;
        case "-h" or "--help": Console.WriteLine(Usage); return 0;
        default: return UsageError($"Unknown argument '{args[i]}'.\n{Usage}");
    }
}
if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
{
    return UsageError($"Give the app's address (http or https), e.g. --url https://app.example.com.\n{Usage}");
}
if (string.IsNullOrWhiteSpace(key))
{
    return UsageError($"Give an API key: a workspace owner or admin creates one under API keys in the app.\n{Usage}");
}

var client = SaasStarterClient.Create(baseUrl, key.Trim(), log: message => Console.WriteLine($"  … {message}"));
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

try
{
    var workspace = await client.GetWorkspaceAsync(cancel.Token);
    Console.WriteLine($"Workspace: {workspace.Name} (/t/{workspace.Slug}, plan {workspace.Plan})");
    if (command == "workspace") return 0;
    return await Tour.RunAsync(client, cancel.Token);
}
catch (ApiProblemException e)
{
    return Fail($"The API refused:\n{e.Problem.Describe()}");
}
catch (HttpRequestException e)
{
    return Fail($"Could not reach {baseUrl}: {e.Message}");
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    return Fail("Cancelled.");
}

// Exit codes: 0 done, 1 the API or the network failed, 2 the command line is wrong.
static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 1;
}

static int UsageError(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}

/// <summary>Every projects endpoint once, the way an integration uses them: a walk through a project's life.</summary>
internal static class Tour
{
    public static async Task<int> RunAsync(SaasStarterClient client, CancellationToken cancellationToken)
    {
        var first = await client.ListProjectsAsync(page: 1, pageSize: 5, cancellationToken: cancellationToken);
        Console.WriteLine($"Projects: {first.Total} in total; page 1 shows {first.Items.Count}{(first.Links.Next is null ? "" : $", next page at {first.Links.Next}")}");

        // One Idempotency-Key per intended create, kept until the create is known to have happened.
        var idempotencyKey = Guid.NewGuid().ToString();
        var draft = new NewProject($"API sample {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}", "Created by samples/ApiClient.");
        var created = await client.CreateProjectAsync(draft, idempotencyKey, cancellationToken);
        var project = created.Value;
        Console.WriteLine($"Created project {project.Id} \"{project.Name}\" (version {project.Version}, ETag {created.ETag}) at {created.Location}");

        // What a retry after a lost response looks like: the same key and body return the first answer.
        var retried = await client.CreateProjectAsync(draft, idempotencyKey, cancellationToken);
        if (!retried.Replayed || retried.Value.Id != project.Id)
        {
            Console.Error.WriteLine($"The repeated create was not replayed (replayed: {retried.Replayed}, id {retried.Value.Id}).");
            return 1;
        }
        Console.WriteLine("Repeated the create with the same Idempotency-Key: the API replayed the first answer, no second project.");

        var read = await client.GetProjectAsync(project.Id, cancellationToken);
        Console.WriteLine($"Read project {read.Value.Id}: status {read.Value.Status}, ETag {read.ETag}");

        var updated = await client.UpdateProjectAsync(project.Id,
            new ProjectChanges(read.Value.Name, "Archived by samples/ApiClient.", "archived"), ifMatch: read.ETag, cancellationToken);
        Console.WriteLine($"Updated project {project.Id} with If-Match {read.ETag}: status {updated.Value.Status}, version {updated.Value.Version}, ETag {updated.ETag}");

        // Someone else's edit in between looks like this: the old ETag no longer matches.
        try
        {
            await client.UpdateProjectAsync(project.Id, new ProjectChanges(read.Value.Name, null, "active"), ifMatch: read.ETag, cancellationToken);
            Console.Error.WriteLine("An update with a stale ETag was accepted; it should have been refused with 412.");
            return 1;
        }
        catch (ApiProblemException e) when (e.Problem.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            Console.WriteLine($"An update with the stale ETag {read.ETag} was refused, as it should be:\n  {Indent(e.Problem.Describe())}");
        }

        // Validation problems name the fields.
        try
        {
            await client.CreateProjectAsync(new NewProject("", null), Guid.NewGuid().ToString(), cancellationToken);
            Console.Error.WriteLine("A project without a name was accepted; it should have been refused with 400.");
            return 1;
        }
        catch (ApiProblemException e) when (e.Problem.StatusCode == HttpStatusCode.BadRequest)
        {
            Console.WriteLine($"A project without a name was refused:\n  {Indent(e.Problem.Describe())}");
        }

        var archived = 0;
        var pages = 0;
        await foreach (var (_, page) in client.ListAllProjectsAsync(pageSize: 2, status: "archived", cancellationToken: cancellationToken))
        {
            archived++;
            pages = page;
        }
        Console.WriteLine($"Archived projects: {archived}, read 2 a page over {pages} page(s) by following links.next");

        await client.DeleteProjectAsync(project.Id, ifMatch: updated.ETag, cancellationToken);
        Console.WriteLine($"Deleted project {project.Id} with If-Match {updated.ETag}");

        try
        {
            await client.GetProjectAsync(project.Id, cancellationToken);
            Console.Error.WriteLine("The deleted project can still be read.");
            return 1;
        }
        catch (ApiProblemException e) when (e.Problem.StatusCode == HttpStatusCode.NotFound)
        {
            Console.WriteLine($"Reading it again answers:\n  {Indent(e.Problem.Describe())}");
        }

        Console.WriteLine("Done: listed, created (idempotently), read, updated (with If-Match), deleted.");
        return 0;
    }

    private static string Indent(string text) => text.Replace("\n", "\n  ", StringComparison.Ordinal);
}
