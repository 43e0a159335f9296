using Microsoft.EntityFrameworkCore;
using SaasStarter.Tenancy;

namespace SaasStarter.Data;

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options, ITenantContext tenant)
    : AppDbContext(options, tenant);
