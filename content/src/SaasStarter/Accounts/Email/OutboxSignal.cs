namespace SaasStarter.Accounts.Email;

/// <summary>
/// Wakes <see cref="SmtpDelivery"/> as soon as an email is stored, so nobody waits for its next poll. Pokes while it
/// is busy collapse into one wake-up.
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
