using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api.Keys;
using SaasStarter.Data;

using SaasStarter.Core;

namespace SaasStarter.Api.Idempotency;

/// <summary>
/// The work of <see cref="IdempotentRequests.WithIdempotency"/>. A request with a key that has a record replays it (or
/// gets 422 if its hash differs). Otherwise, in one transaction: claim the key by inserting its record, run the
/// endpoint, keep its response in the record, commit, and only then send the response. A repeat racing the first
/// request blocks on the unique index (PostgreSQL) or the write lock (SQLite) until the first commits, then fails to
/// insert and replays the committed record: there is no visible "in progress" state, so no 409 for it. A response
/// other than 2xx rolls everything back, claim included, so the client may correct the request and reuse the key.
/// </summary>
internal sealed class IdempotencyFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(IdempotentRequests.KeyHeader, out var sent)) return await next(context);
        var key = sent.ToString();
        if (sent.Count != 1 || !IdempotentRequests.IsValidKey(key))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [IdempotentRequests.KeyHeader] = [$"Send one key of 1 to {IdempotencyRecord.MaxKeyLength} printable ASCII characters."],
            });
        }

        var apiKeyId = http.RequestServices.GetRequiredService<ApiCaller>().KeyId
            ?? throw new InvalidOperationException("Idempotency keys are kept per API key: apply RequireApiKey() before WithIdempotency().");
        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        var cancellation = http.RequestAborted;
        var hash = await HashAsync(http.Request, cancellation);
        var since = DateTime.UtcNow - IdempotentRequests.Window;

        if (await FindAsync(db, apiKeyId, key, since, cancellation) is { } earlier) return Replay(earlier, hash);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        // An expired record no longer counts, but its row would still hold the key in the unique index.
        await db.IdempotencyRecords.Where(r => r.ApiKeyId == apiKeyId && r.Key == key && r.CreatedAtUtc < since).ExecuteDeleteAsync(cancellation);
        var record = new IdempotencyRecord { ApiKeyId = apiKeyId, Key = key, RequestHash = hash };
        db.IdempotencyRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellation);
        }
        catch (DbUpdateException)
        {
            // Most likely a repeat that committed first. Whatever it was, this transaction is done for.
            await transaction.RollbackAsync(cancellation);
            db.ChangeTracker.Clear();
            if (await FindAsync(db, apiKeyId, key, since, cancellation) is { } winner) return Replay(winner, hash);
            throw;
        }

        if (await next(context) is not IResult result)
        {
            throw new InvalidOperationException("An endpoint with WithIdempotency() must return an IResult (typed results).");
        }
        var body = await RenderAsync(result, http);
        if (http.Response.StatusCode is >= 200 and < 300)
        {
            record.StatusCode = http.Response.StatusCode;
            record.ContentType = http.Response.ContentType;
            record.ResponseBody = body.Length == 0 ? null : Encoding.UTF8.GetString(body);
            record.Location = NullIfEmpty(http.Response.Headers.Location.ToString());
            record.ETag = NullIfEmpty(http.Response.Headers.ETag.ToString());
            db.IdempotencyRecords.Update(record);
            await db.SaveChangesAsync(cancellation);
            await transaction.CommitAsync(cancellation);
        }
        else
        {
            await transaction.RollbackAsync(cancellation);
        }

        await http.Response.Body.WriteAsync(body, cancellation);
        return Results.Empty;
    }

    private static Task<IdempotencyRecord?> FindAsync(AppDbContext db, Guid apiKeyId, string key, DateTime since, CancellationToken cancellation) =>
        db.IdempotencyRecords.AsNoTracking()
            .SingleOrDefaultAsync(r => r.ApiKeyId == apiKeyId && r.Key == key && r.CreatedAtUtc >= since, cancellation);

    private static IResult Replay(IdempotencyRecord earlier, string hash) =>
        earlier.RequestHash == hash
            ? new ReplayResult(earlier)
            : TypedResults.Problem(
                title: "The idempotency key was used for another request.",
                detail: $"This {IdempotentRequests.KeyHeader} was first sent with a different method, path or body. Use a new key for a new request.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                type: ProblemTypes.IdempotencyKeyReused);

    /// <summary>The request as the hash sees it: method, path and query, then the body's bytes (buffered, see WithIdempotency).</summary>
    private static async Task<string> HashAsync(HttpRequest request, CancellationToken cancellation)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.PathBase}{request.Path}{request.QueryString}\n"));
        request.Body.Position = 0;
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0) sha.AppendData(chunk, 0, read);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Runs the endpoint's result into memory: status and headers land on the response, the body is returned.</summary>
    private static async Task<byte[]> RenderAsync(IResult result, HttpContext http)
    {
        var real = http.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        await using var buffer = new MemoryStream();
        var capture = new StreamResponseBodyFeature(buffer, real);
        http.Features.Set<IHttpResponseBodyFeature>(capture);
        try
        {
            await result.ExecuteAsync(http);
            await capture.CompleteAsync();
        }
        finally
        {
            http.Features.Set(real);
        }
        return buffer.ToArray();
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>The stored first response, sent again.</summary>
    private sealed class ReplayResult(IdempotencyRecord record) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var response = http.Response;
            response.StatusCode = record.StatusCode;
            if (record.ContentType is { } contentType) response.ContentType = contentType;
            if (record.Location is { } location) response.Headers.Location = location;
            if (record.ETag is { } etag) response.Headers.ETag = etag;
            response.Headers[IdempotentRequests.ReplayedHeader] = "true";
            if (record.ResponseBody is { } body) await response.WriteAsync(body, http.RequestAborted);
        }
    }
}
