using Microsoft.EntityFrameworkCore;

namespace SaasStarter.Data;

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options, TenantScope tenant)
    : AppDbContext(options, tenant);
