using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.FeatureManagement.Mvc;
using SaasStarter.Data;
using SaasStarter.Features;
using SaasStarter.Members;
using SaasStarter.Projects;
using SaasStarter.Tenancy;

namespace SaasStarter.Projects.Pages;

/// <summary>
/// The workspace's projects, active and archived, as a CSV download (flag ProjectExport, a plan feature). A page rather than
/// an endpoint, so it is resolved, filtered and permission-checked like every /t/{slug} page. Rows are streamed as they
/// are read: an unlimited plan can have many.
/// </summary>
[FeatureGate(ProjectFeatures.Export, Order = FeatureGates.Order)]
[RequirePermission(ProjectPermissions.Read)]
public sealed class ExportModel(AppDbContext db, ITenantContext tenant) : PageModel
{
    // With a byte order mark: spreadsheets read the file as UTF-8 only with one.
    private static readonly UTF8Encoding Utf8WithMark = new(encoderShouldEmitUTF8Identifier: true);

    public async Task<IActionResult> OnGetAsync()
    {
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Response.ContentType = ProjectCsv.ContentType;
        Response.Headers.ContentDisposition = $"attachment; filename=\"{tenant.Tenant!.Slug}-projects-{day}.csv\"";
        Response.Headers.CacheControl = "no-store";

        await using var writer = new StreamWriter(Response.Body, Utf8WithMark, bufferSize: 16 * 1024, leaveOpen: true);
        await writer.WriteAsync(ProjectCsv.Header);
        await foreach (var project in db.Projects.AsNoTracking().OrderBy(p => p.Id).AsAsyncEnumerable().WithCancellation(HttpContext.RequestAborted))
        {
            await writer.WriteAsync(ProjectCsv.Row(project));
        }
        await writer.FlushAsync(HttpContext.RequestAborted);
        return new EmptyResult();
    }
}
