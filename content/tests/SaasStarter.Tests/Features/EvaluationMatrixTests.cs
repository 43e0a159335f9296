using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using SaasStarter.Data;
using SaasStarter.Features;
using SaasStarter.Plans;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Projects;
using SaasStarter.Tenants;
using SaasStarter.Core;

namespace SaasStarter.Tests.Features;

/// <summary>
/// Every combination of plan × owner's switch × operator override × configured default, evaluated by the app's own
/// feature manager inside a real workspace, against the rule as the README states it: operator, else owner (on flags
/// owners may switch), else plan (when it names the flag), else the configured default. Test-only flags are added through
/// configuration, as a user adds theirs.
/// </summary>
public abstract class EvaluationMatrixTests
{
    private const string DefaultOn = "MatrixDefaultOn";
    private const string DefaultOff = "MatrixDefaultOff";
    private const string Locked = "MatrixLocked";
    private const string Rollout = "MatrixRollout";

    private readonly AppFactory factory;

    protected EvaluationMatrixTests(AppFactory factory)
    {
        // After the flag rules appsettings.json gives (index 0), so none of them is overwritten.
        this.factory = factory
            .WithFlag(4, DefaultOn, enabled: true, ownerToggleable: true)
            .WithFlag(5, DefaultOff, enabled: false, ownerToggleable: true)
            .WithFlag(6, Locked, enabled: true, ownerToggleable: false)
            .WithFlag(7, Rollout, enabled: true, ownerToggleable: false)
            .WithSetting("feature_management:feature_flags:7:conditions:client_filters:0:name", "Microsoft.Targeting")
            .WithSetting("feature_management:feature_flags:7:conditions:client_filters:0:parameters:Audience:DefaultRolloutPercentage", "50")
            // free names neither flag; pro switches both on; enterprise both off.
            .WithSetting($"Plans:Catalog:1:Features:{DefaultOn}", "true").WithSetting($"Plans:Catalog:1:Features:{DefaultOff}", "true")
            .WithSetting($"Plans:Catalog:2:Features:{DefaultOn}", "false").WithSetting($"Plans:Catalog:2:Features:{DefaultOff}", "false");
    }

    private static readonly (string Plan, bool? Says)[] Plans = [("free", null), ("pro", true), ("enterprise", false)];
    private static readonly bool?[] Switches = [null, true, false];

    [ProviderFact]
    public async Task Every_combination_of_plan_owner_operator_and_default_gives_the_documented_value()
    {
        var wrong = new List<string>();
        var checkedCases = 0;
        foreach (var (plan, planSays) in Plans)
        {
            var world = await MemberWorld.FoundAsync(factory);
            var workspace = await OnPlanAsync(world, plan);
            foreach (var owner in Switches)
            {
                foreach (var byOperator in Switches)
                {
                    foreach (var (flag, configured) in new[] { (DefaultOn, true), (DefaultOff, false) })
                    {
                        await SwitchAsync(workspace, flag, owner, byOperator);
                        // The rule, written out independently of the app's FeatureDecision.
                        var expected = byOperator.HasValue ? byOperator.Value
                            : owner.HasValue ? owner.Value
                            : planSays.HasValue ? planSays.Value
                            : configured;
                        var actual = await EnabledAsync(workspace, flag);
                        checkedCases++;
                        if (actual != expected)
                        {
                            wrong.Add($"plan {plan}, owner {Show(owner)}, operator {Show(byOperator)}, default {configured}: {flag} is {actual}, not {expected}");
                        }
                    }
                }
            }
        }

        Assert.Equal(Plans.Length * Switches.Length * Switches.Length * 2, checkedCases);
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [ProviderFact]
    public async Task An_owner_cannot_switch_a_flag_owners_may_not_and_a_stray_owner_row_is_ignored()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var refused = await InWorkspaceAsync(world.Tenant, TenantRole.Owner, sp => sp.GetRequiredService<FeatureSwitches>().SetOwnerAsync(Locked, false));
        // A row written around the service (an old version, a hand edit) must not turn a locked flag either.
        await factory.InTenantAsync(world.Tenant, async db =>
        {
            db.FeatureOverrides.Add(new FeatureOverride { Feature = Locked, Source = FeatureOverrideSource.Owner, Enabled = false });
            return await db.SaveChangesAsync();
        });

        Assert.False(refused.Succeeded);
        Assert.Contains(Locked, refused.Problem);
        Assert.True(await EnabledAsync(world.Tenant, Locked));
    }

    [ProviderFact]
    public async Task A_member_without_tenant_settings_cannot_switch_a_flag()
    {
        var world = await MemberWorld.FoundAsync(factory);

        var refused = await InWorkspaceAsync(world.Tenant, TenantRole.Member, sp => sp.GetRequiredService<FeatureSwitches>().SetOwnerAsync(DefaultOff, true));

        Assert.False(refused.Succeeded);
        Assert.False(await EnabledAsync(world.Tenant, DefaultOff));
        Assert.Equal(0, await factory.InTenantAsync(world.Tenant, db => db.FeatureOverrides.CountAsync()));
    }

    [ProviderFact]
    public async Task The_library_targets_plans_by_group_and_rolls_out_by_whole_workspace()
    {
        // ProjectBoard's configured rule: the plan:enterprise group, nobody else.
        var free = await OnPlanAsync(await MemberWorld.FoundAsync(factory), "free");
        var enterprise = await OnPlanAsync(await MemberWorld.FoundAsync(factory), "enterprise");
        Assert.False(await EnabledAsync(free, ProjectFeatures.Board));
        Assert.True(await EnabledAsync(enterprise, ProjectFeatures.Board));

        // 50% of workspaces, decided by the workspace id: stable, and neither all nor none of 40.
        var answers = new List<bool>();
        for (var i = 1; i <= 40; i++)
        {
            var workspace = new CurrentTenant(new Guid($"00000000-0000-0000-0000-{i:000000000000}"), $"rollout-{i}", "Rollout", IsSuspended: false);
            var first = await EnabledAsync(workspace, Rollout);
            Assert.Equal(first, await EnabledAsync(workspace, Rollout));
            answers.Add(first);
        }
        Assert.Contains(true, answers);
        Assert.Contains(false, answers);
    }

    private async Task<CurrentTenant> OnPlanAsync(MemberWorld world, string plan)
    {
        var outcome = await factory.WithScopeAsync(sp => sp.GetRequiredService<PlanAssignment>().AssignAsync(world.Tenant.Id, plan, "test"));
        Assert.NotEqual(OutcomeKind.NotFound, outcome.Kind);
        return world.Tenant with { PlanId = plan };
    }

    private async Task SwitchAsync(CurrentTenant workspace, string flag, bool? owner, bool? byOperator)
    {
        var byOwner = await InWorkspaceAsync(workspace, TenantRole.Owner, sp => sp.GetRequiredService<FeatureSwitches>().SetOwnerAsync(flag, owner));
        var forced = await factory.WithScopeAsync(sp => sp.GetRequiredService<FeatureSwitches>().SetOperatorAsync(workspace.Id, flag, byOperator));
        Assert.True(byOwner.Succeeded, byOwner.Problem);
        Assert.True(forced.Succeeded, forced.Problem);
    }

    /// <summary>The flag as a request in the workspace sees it: a fresh scope, the app's scoped feature manager.</summary>
    private Task<bool> EnabledAsync(CurrentTenant workspace, string flag) =>
        InWorkspaceAsync(workspace, TenantRole.Member, sp => sp.GetRequiredService<IFeatureManager>().IsEnabledAsync(flag));

    private Task<T> InWorkspaceAsync<T>(CurrentTenant workspace, TenantRole role, Func<IServiceProvider, Task<T>> act) =>
        factory.WithScopeAsync(sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(workspace, role);
            return act(sp);
        });

    private static string Show(bool? value) => value switch { null => "unset", true => "on", false => "off" };

    public sealed class OnSqlite(SqliteAppFactory factory) : EvaluationMatrixTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : EvaluationMatrixTests(factory), IClassFixture<PostgresAppFactory>;
}
