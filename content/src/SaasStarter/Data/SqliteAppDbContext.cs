using Microsoft.EntityFrameworkCore;
using SaasStarter.Tenancy;

namespace SaasStarter.Data;

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options, ITenantContext tenant)
    : AppDbContext(options, tenant);
