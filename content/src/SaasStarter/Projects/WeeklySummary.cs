using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Email;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Features;
using SaasStarter.Hosting;
using SaasStarter.Jobs;
using SaasStarter.Plans;
using SaasStarter.Tenancy;
using SaasStarter.Core;

namespace SaasStarter.Projects;

/// <summary>
/// Monday morning, per workspace (where the <see cref="ProjectFeatures.WeeklySummary"/> flag is on): emails each owner
/// and admin what happened to the projects in the last 7 days, and how many there are by status.
/// </summary>
/// <remarks>
/// Once per ISO week and workspace, however often it runs (a retry, a recovered run, an owner's "run now"): the send is
/// recorded as a <see cref="ProjectAudit.WeeklySummarySent"/> event whose target is the week (e.g. <c>2026-W48</c>), in the
/// same transaction as the emails (the outbox is in the same database), and a run that finds the week's event sends
/// nothing. The check and the send happen under the workspace's <see cref="LimitLock"/>, so two runs at once cannot both
/// miss the event. The record lives in the audit log, so owners see when the summary went and to how many people; it
/// needs no table of its own (a plan that kept audit events for less than a week could let a late re-run repeat it).
/// </remarks>
public sealed class WeeklySummary(AppDbContext db, ITenantContext tenant, AuditLog audit, IEmailSender email, OutboxSignal outbox,
    PublicOrigin origin, ILogger<WeeklySummary> logger) : ITenantJob
{
    public static readonly JobDefinition Definition = new("weekly-summary",
        "Emails the owners and admins of each workspace a summary of its projects' week.")
    {
        Cron = "0 0 7 ? * MON",
        Feature = ProjectFeatures.WeeklySummary,
        TenantTriggerable = true,
    };

    public static readonly TimeSpan Period = TimeSpan.FromDays(7);

    /// <summary>The ISO 8601 week of <paramref name="utc"/>, e.g. <c>2026-W48</c>: the key of "already sent".</summary>
    public static string WeekOf(DateTime utc) =>
        $"{ISOWeek.GetYear(utc)}-W{ISOWeek.GetWeekOfYear(utc).ToString("00", CultureInfo.InvariantCulture)}";

    /// <summary>The numbers the email reports.</summary>
    public sealed record Figures(int Created, int Updated, int Archived, int Active, int ArchivedTotal);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var workspace = tenant.Tenant ?? throw new InvalidOperationException("The weekly summary runs inside a workspace.");
        var now = DateTime.UtcNow;
        var week = WeekOf(now);
        await using var held = await LimitLock.TakeAsync(db, workspace.Id, cancellationToken);
        if (await db.AuditEvents.AnyAsync(e => e.Action == ProjectAudit.WeeklySummarySent && e.Target == week, cancellationToken))
        {
            logger.LogInformation("The weekly summary of {Week} was already sent for workspace {Slug}", week, workspace.Slug);
            return;
        }

        var recipients = await db.Memberships.Where(m => m.Role == TenantRole.Owner || m.Role == TenantRole.Admin)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.Email)
            .Where(address => address != null)
            .Distinct()
            .ToListAsync(cancellationToken);
        var figures = await FiguresAsync(now - Period, cancellationToken);
        var subject = $"{workspace.Name}: your week on {Product.Name}";
        var body = Body(workspace, figures, now);
        foreach (var address in recipients.Order(StringComparer.Ordinal)) await email.SendEmailAsync(address!, subject, body);
        audit.Add(ProjectAudit.WeeklySummarySent, week, new { recipients = recipients.Count, figures.Created, figures.Updated, figures.Archived },
            actorEmail: "weekly summary");
        await db.SaveChangesAsync(cancellationToken);
        await held.CommitAsync(cancellationToken);
        // The emails were saved inside the transaction, perhaps before delivery could see them: wake it now that it can.
        outbox.Poke();
        logger.LogInformation("Sent the weekly summary of {Week} for workspace {Slug} to {Count} people", week, workspace.Slug, recipients.Count);
    }

    /// <summary>
    /// Created: made in the period. Archived: archived now and last changed in the period. Updated: any other project
    /// changed in the period (made before it). Projects have no history of their own, so a project archived and then
    /// edited again in the week still counts as archived, and one deleted is simply gone.
    /// </summary>
    public async Task<Figures> FiguresAsync(DateTime since, CancellationToken cancellationToken)
    {
        var created = await db.Projects.CountAsync(p => p.CreatedAtUtc >= since, cancellationToken);
        var archived = await db.Projects.CountAsync(p => p.Status == ProjectStatus.Archived && p.UpdatedAtUtc >= since, cancellationToken);
        var updated = await db.Projects.CountAsync(p => p.Status != ProjectStatus.Archived && p.CreatedAtUtc < since && p.UpdatedAtUtc >= since,
            cancellationToken);
        var byStatus = await db.Projects.GroupBy(p => p.Status).Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        return new Figures(created, updated, archived, byStatus.GetValueOrDefault(ProjectStatus.Active),
            byStatus.GetValueOrDefault(ProjectStatus.Archived));
    }

    private string Body(CurrentTenant workspace, Figures figures, DateTime now)
    {
        var name = HtmlEncoder.Default.Encode(workspace.Name);
        var link = HtmlEncoder.Default.Encode(origin.Link($"/t/{workspace.Slug}/projects"));
        var plan = HtmlEncoder.Default.Encode(origin.Link($"/t/{workspace.Slug}/plan"));
        var from = (now - Period).ToString("MMMM d", CultureInfo.InvariantCulture);
        var to = now.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
        return $"<p>Here is the week in <strong>{name}</strong> ({from} to {to}, UTC):</p>"
            + "<ul>"
            + $"<li>Projects created: {figures.Created}</li>"
            + $"<li>Projects updated: {figures.Updated}</li>"
            + $"<li>Projects archived: {figures.Archived}</li>"
            + "</ul>"
            + $"<p>The workspace now has {figures.Active} active and {figures.ArchivedTotal} archived projects. <a href='{link}'>Open the projects</a></p>"
            + $"<p>You get this email as an owner or admin of the workspace. An owner can switch it off under <a href='{plan}'>Plan &amp; features</a>.</p>";
    }
}
