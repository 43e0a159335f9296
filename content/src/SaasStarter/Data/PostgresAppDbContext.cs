using Microsoft.EntityFrameworkCore;

namespace SaasStarter.Data;

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);
