using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Update.Internal;

#pragma warning disable EF1001 // MigrationsModelDiffer is EF's internal API; the subclass only adds operations after it.

namespace SaasStarter.Data;

/// <summary>
/// PostgreSQL: a migration that creates the table of an <see cref="ITenantOwned"/> entity also enables row-level
/// security on it (<see cref="RowLevelSecurity.Enable"/>, as SQL in the generated migration, where a reviewer sees it), so
/// a new module's table is isolated on PostgreSQL without anyone remembering to add it. A test still checks every
/// tenant-owned table, whatever wrote its migration.
/// </summary>
internal sealed class RowLevelSecurityDiffer(
    IRelationalTypeMappingSource typeMappingSource,
    IMigrationsAnnotationProvider migrationsAnnotationProvider,
    IRelationalAnnotationProvider relationalAnnotationProvider,
    IRowIdentityMapFactory rowIdentityMapFactory,
    CommandBatchPreparerDependencies commandBatchPreparerDependencies)
    : MigrationsModelDiffer(typeMappingSource, migrationsAnnotationProvider, relationalAnnotationProvider, rowIdentityMapFactory,
        commandBatchPreparerDependencies)
{
    public override IReadOnlyList<MigrationOperation> GetDifferences(IRelationalModel? source, IRelationalModel? target)
    {
        var operations = base.GetDifferences(source, target);
        if (target is null) return operations;
        var withPolicies = new List<MigrationOperation>(operations.Count);
        foreach (var operation in operations)
        {
            withPolicies.Add(operation);
            if (operation is CreateTableOperation created && IsTenantOwned(target, created))
            {
                withPolicies.Add(new SqlOperation { Sql = RowLevelSecurity.EnableSql(created.Name) });
            }
        }
        return withPolicies;
    }

    private static bool IsTenantOwned(IRelationalModel model, CreateTableOperation created) =>
        model.FindTable(created.Name, created.Schema)?.EntityTypeMappings
            .Any(mapping => typeof(ITenantOwned).IsAssignableFrom(mapping.TypeBase.ClrType)) == true;
}
