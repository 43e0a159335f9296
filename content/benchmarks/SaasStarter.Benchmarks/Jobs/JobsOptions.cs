using System.Globalization;

namespace SaasStarter.Benchmarks.Jobs;

/// <summary>The jobs run's arguments: <c>--jobs 2000 --tenants 1000</c> (the defaults).</summary>
internal sealed record JobsOptions(int Jobs, int Tenants)
{
    public static JobsOptions Parse(string[] args)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal) { ["--jobs"] = 2000, ["--tenants"] = 1000 };
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length
                || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 100_000)
            {
                throw new ArgumentException($"jobs takes {string.Join(", ", values.Keys.Select(k => $"{k} <1 to 100000>"))}; not '{string.Join(' ', args[i..])}'.");
            }
            values[args[i]] = value;
        }
        return new JobsOptions(values["--jobs"], values["--tenants"]);
    }
}
