using Microsoft.EntityFrameworkCore;

namespace SaasStarter.Data;

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options, TenantScope tenant)
    : AppDbContext(options, tenant);
