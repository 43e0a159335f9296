using System.Globalization;

namespace SaasStarter.Benchmarks.ApiLoad;

/// <summary>
/// api-load's arguments: <c>--rounds 3 --duration 10 --warmup 5 --connections 16 --threads 1</c> (the defaults). One wrk
/// thread leaves the app most of a small machine's cores; wrk drives far more requests than the app serves either way.
/// </summary>
internal sealed record LoadOptions(int Rounds, Wrk.Options Measured, Wrk.Options Warmup)
{
    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["--rounds"] = 3, ["--duration"] = 10, ["--warmup"] = 5, ["--connections"] = 16, ["--threads"] = 1,
        };
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length
                || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                throw new ArgumentException($"api-load takes {string.Join(", ", values.Keys.Select(k => $"{k} <n ≥ 1>"))}; not '{string.Join(' ', args[i..])}'.");
            }
            values[args[i]] = value;
        }
        Wrk.Options Run(int seconds) => new(values["--threads"], values["--connections"], TimeSpan.FromSeconds(seconds));
        return new LoadOptions(values["--rounds"], Run(values["--duration"]), Run(values["--warmup"]));
    }
}
