using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Projects;

/// <summary>
/// The app (same database) with a second writer that strikes once: just before the app's first save of a change to
/// the project, it saves its own change (name "Theirs") from another unit of work, as a concurrent request would
/// between the app's read and its write. Makes the race deterministic.
/// </summary>
internal sealed class ProjectInterloper : SaveChangesInterceptor, IAsyncDisposable
{
    public const string TheirName = "Theirs";

    private readonly CurrentTenant tenant;
    private readonly Guid projectId;

    public ProjectInterloper(AppFactory factory, CurrentTenant tenant, Guid projectId)
    {
        this.tenant = tenant;
        this.projectId = projectId;
        App = factory.WithWebHostBuilder(web => web.ConfigureTestServices(services => factory.AddInterceptor(services, this)));
    }

    public WebApplicationFactory<Program> App { get; }

    public bool Struck { get; private set; }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (Struck || !eventData.Context!.ChangeTracker.Entries<Project>().Any(e => e.Entity.Id == projectId && e.State == EntityState.Modified))
        {
            return result;
        }
        Struck = true;
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenant);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        (await db.Projects.SingleAsync(p => p.Id == projectId, cancellationToken)).Name = TheirName;
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
