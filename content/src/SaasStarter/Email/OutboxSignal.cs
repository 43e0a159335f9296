namespace SaasStarter.Email;

/// <summary>
/// Says "an email was stored": <see cref="OutboxWaker"/> then runs <see cref="SmtpDelivery"/> at once, so nobody waits
/// for its schedule. Never blocks the caller; pokes before the waker sees them collapse into one wake-up.
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Poke()
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already poked and not yet seen: one wake-up covers both.
        }
    }

    /// <summary>Waits for a poke or for <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancel) => signal.WaitAsync(timeout, cancel);

    public void Dispose() => signal.Dispose();
}
