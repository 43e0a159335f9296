using System.Diagnostics;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>Polls until a condition holds, for work that happens in the background (jobs, other processes).</summary>
public static class Eventually
{
    /// <summary>The first value of <paramref name="probe"/> that <paramref name="done"/> accepts; fails after <paramref name="timeout"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string waitingFor,
        Func<T, string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (clock.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException($"Still waiting for {waitingFor} after {timeout.TotalSeconds:0} s"
                    + (describe is null ? "" : $": {describe(value)}"));
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Until <paramref name="condition"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string waitingFor, Func<string>? describe = null) =>
        UntilAsync(condition, done => done, timeout, waitingFor, describe is null ? null : _ => describe());
}
