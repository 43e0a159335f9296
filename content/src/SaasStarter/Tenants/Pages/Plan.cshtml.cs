using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.FeatureManagement;
using SaasStarter.Features;
using SaasStarter.Plans;
using SaasStarter.Tenancy;
using SaasStarter.Core;

namespace SaasStarter.Tenants.Pages;

/// <summary>
/// The workspace's plan, its limits beside what it uses, and its feature flags (tenant.settings): whether each is on here
/// and what decided it, with the owner's switch for the flags owners may switch. Plans are changed by the operator.
/// </summary>
[RequirePermission(TenantPermissions.Settings)]
public sealed class PlanModel(ITenantContext tenant, TenantFeatures workspace, TenantFeatureReport reports, FeatureCatalog catalog,
    FeatureSwitches switches) : PageModel
{
    /// <summary>A limit of the plan; <see cref="Used"/> is null where nothing is counted (a rate, a retention).</summary>
    public sealed record LimitRow(string Id, string Label, int? Used, int? Allowed, string Unit, string Note);

    /// <summary>A flag as this workspace has it, and the switches that could decide it.</summary>
    public sealed record FeatureRow(FeatureFlag Info, bool On, FeatureSource Source, bool? OwnerSwitch, bool? OperatorOverride)
    {
        /// <summary>The owner has switched it, but the operator's override decides: the owner's switch does nothing for now.</summary>
        public bool OwnerSwitchOverruled => Info.OwnerToggleable && OperatorOverride is not null;
    }

    /// <summary>What the owner's buttons post: on, off, or back to what the plan or the default says.</summary>
    public static class Choice
    {
        public const string On = "on";
        public const string Off = "off";
        public const string Default = "default";
    }

    public CurrentTenant Tenant => tenant.Tenant!;
    public Plan Plan => workspace.Plan;
    public IReadOnlyList<LimitRow> Limits { get; private set; } = [];
    public IReadOnlyList<FeatureRow> Features { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    [TempData]
    public string? Problem { get; set; }

    public async Task OnGetAsync()
    {
        // What the operator's page and the API show too: the tenant as the feature manager every gate uses sees it.
        var report = await reports.ReadAsync(HttpContext.RequestAborted);
        Limits = [.. report.Limits.Select(l => new LimitRow(l.Id, l.Title, report.Used.TryGetValue(l.Name, out var used) ? used : null,
            report.Plan.Limit(l.Name), l.Unit, l.Note ?? ""))];
        Features = [.. report.Features.Select(f => new FeatureRow(f.Feature, f.Enabled, f.Source, f.OwnerSwitch, f.OperatorOverride))];
    }

    public async Task<IActionResult> OnPostSwitchAsync(string? feature, string? value)
    {
        // A forged name is neither echoed nor stored: it could be anything, of any length.
        if (catalog.Find(feature ?? "") is not { } info)
        {
            Problem = "There is no feature of that name.";
            return RedirectToPage();
        }
        bool? enabled;
        switch (value)
        {
            case Choice.On: enabled = true; break;
            case Choice.Off: enabled = false; break;
            case Choice.Default: enabled = null; break;
            default:
                Problem = $"Choose on, off or the default for {info.Name}.";
                return RedirectToPage();
        }

        var outcome = await switches.SetOwnerAsync(info.Name, enabled, HttpContext.RequestAborted);
        if (!outcome.Succeeded) Problem = outcome.Problem;
        else if (outcome.Kind == OutcomeKind.Unchanged) Notice = $"Nothing changed: {info.Name} was already set that way.";
        else Notice = Done(info.Name, enabled) + await OverruledAsync(info.Name);
        return RedirectToPage();
    }

    private string Done(string name, bool? enabled) => enabled switch
    {
        true => $"{name} is switched on for this workspace.",
        false => $"{name} is switched off for this workspace.",
        null => $"Your switch of {name} is cleared: the {Plan.Name} plan or the default decides it again.",
    };

    private async Task<string> OverruledAsync(string name) =>
        await workspace.DecideAsync(name) is { Source: FeatureSource.Operator }
            ? " The platform operator's setting still decides it, so your switch has no effect until they remove theirs."
            : "";
}
