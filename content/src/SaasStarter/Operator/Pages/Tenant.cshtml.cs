using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Accounts;
using SaasStarter.Data;
using SaasStarter.Features;
using SaasStarter.Plans;
using SaasStarter.Tenancy;
using SaasStarter.Core;
using SaasStarter.Tenants;

namespace SaasStarter.Operator.Pages;

/// <summary>
/// One tenant as the platform operator sees it, with suspend and reactivate (<see cref="TenantSuspension"/>, which
/// records each in the tenant's audit log) and a link to the tenant's events in the platform audit view; its plan, which
/// the operator changes (<see cref="PlanAssignment"/>), the plan's limits beside the usage, and every flag with its value
/// for the tenant, why it has that value, and the operator's override (<see cref="FeatureSwitches"/>). Each change is
/// audited in the tenant's log by those services, and answered with a redirect and a notice.
/// </summary>
public sealed class TenantModel(AppDbContext db, PlatformBypass bypass, TenantSuspension suspension, UserManager<AppUser> users,
    PlanCatalog plans, PlanAssignment assignment, FeatureSwitches switches, FeatureCatalog features, IServiceScopeFactory scopes)
    : PageModel
{
    /// <summary>The override buttons' values.</summary>
    public const string ForceOn = "on";
    public const string ForceOff = "off";
    public const string Clear = "clear";

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";
    public DateTime CreatedAtUtc { get; private set; }
    public DateTime? SuspendedAtUtc { get; private set; }
    public int MemberCount { get; private set; }
    public IReadOnlyList<string> OwnerEmails { get; private set; } = [];
    public IReadOnlyList<Plan> Plans => plans.All;
    public TenantFeatureReport.Report Features { get; private set; } = null!;

    [TempData]
    public string? Notice { get; set; }

    /// <summary>Why the last change was refused, in words for the operator.</summary>
    [TempData]
    public string? Problem { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, HttpContext.RequestAborted);
        if (tenant is null) return NotFound();
        (Id, Name, Slug, CreatedAtUtc, SuspendedAtUtc) = (tenant.Id, tenant.Name, tenant.Slug, tenant.CreatedAtUtc, tenant.SuspendedAtUtc);
        using (bypass.Begin("operator: tenant detail", users.OperatorId(User)))
        {
            MemberCount = (await db.MemberCountsByTenantAsync([id], HttpContext.RequestAborted)).GetValueOrDefault(id);
            OwnerEmails = await db.OwnerEmailsOfTenantAsync(id, HttpContext.RequestAborted);
        }
        // Read as the tenant gets it: in a scope that acts for the tenant, through the feature manager every gate uses.
        Features = await TenantFeatureReport.OfAsync(scopes, tenant, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostPlanAsync(Guid id, string? planId)
    {
        if (!await ExistsAsync(id)) return NotFound();
        if (string.IsNullOrWhiteSpace(planId)) return Refuse(id, "Choose a plan.");
        var outcome = await assignment.AssignAsync(id, planId, reason: "operator", HttpContext.RequestAborted);
        var name = plans.Find(planId)?.Name;
        switch (outcome.Kind)
        {
            case OutcomeKind.NotFound:
                return NotFound();
            case OutcomeKind.Done:
                Notice = $"Plan changed to {name}.";
                break;
            case OutcomeKind.Unchanged:
                Notice = $"The tenant was already on the {name} plan.";
                break;
            default:
                return Refuse(id, outcome.Problem!);
        }
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostOverrideAsync(Guid id, string? feature, string? value)
    {
        if (!await ExistsAsync(id)) return NotFound();
        if (features.Find(feature ?? "") is not { } flag) return Refuse(id, "There is no such feature; choose one from the table.");
        if (value is not (ForceOn or ForceOff or Clear)) return Refuse(id, "Choose force on, force off or clear.");
        bool? enabled = value == Clear ? null : value == ForceOn;

        var outcome = await switches.SetOperatorAsync(id, flag.Name, enabled, HttpContext.RequestAborted);
        if (!outcome.Succeeded) return Refuse(id, outcome.Problem!);
        Notice = (enabled, outcome.Kind == OutcomeKind.Unchanged) switch
        {
            (null, false) => $"The override of {flag.Name} is cleared: the owner's switch, the plan or the configured default decides again.",
            (null, true) => $"{flag.Name} had no override.",
            ({ } on, false) => $"{flag.Name} is forced {(on ? "on" : "off")} for this tenant.",
            ({ } on, true) => $"{flag.Name} was already forced {(on ? "on" : "off")}.",
        };
        return RedirectToPage(new { id });
    }

    /// <summary>Why the tenant has <paramref name="row"/>'s value, in the table's words.</summary>
    public string Why(TenantFeatureReport.Row row) => row.Source switch
    {
        FeatureSource.Operator => "Operator override",
        FeatureSource.Owner => "Owner's switch",
        FeatureSource.Plan => $"Plan {Features.Plan.Name}",
        _ => row.Rules.Count == 0
            ? "Configured default"
            : $"Configured default: the rules ({string.Join(", ", row.Rules)}) decided",
    };

    private Task<bool> ExistsAsync(Guid id) => db.Tenants.AnyAsync(t => t.Id == id, HttpContext.RequestAborted);

    private RedirectToPageResult Refuse(Guid id, string problem)
    {
        Problem = problem;
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostSuspendAsync(Guid id) =>
        Answer(id, await suspension.SetAsync(id, suspend: true, HttpContext.RequestAborted), "suspended");

    public async Task<IActionResult> OnPostReactivateAsync(Guid id) =>
        Answer(id, await suspension.SetAsync(id, suspend: false, HttpContext.RequestAborted), "reactivated");

    private IActionResult Answer(Guid id, Outcome outcome, string action)
    {
        if (outcome.Kind == OutcomeKind.NotFound) return NotFound();
        Notice = outcome.Kind == OutcomeKind.Done ? $"Tenant {action}." : $"Tenant was already {action}.";
        return RedirectToPage(new { id });
    }
}
