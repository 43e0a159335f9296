using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>One message as the server received it: the envelope (MAIL FROM, RCPT TO) and the DATA, dot-unstuffed.</summary>
public sealed record SmtpMessage(string From, IReadOnlyList<string> Recipients, string Data);

/// <summary>
/// A tiny SMTP server on 127.0.0.1 (a free port) that accepts every message and keeps it: enough of RFC 5321 for
/// MailKit without TLS, AUTH or extensions. It serves several connections at once (two app replicas may send
/// together), each limited in time and size. Recipients named in <c>rejectRecipients</c> are refused for good at RCPT TO
/// (<c>550 5.1.1 no such user</c>), as a real server refuses an unknown mailbox; those in <c>deferRecipients</c> are
/// refused for now (<c>450 4.2.1 mailbox busy</c>), every time.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public const string NoSuchUserReply = "550 5.1.1 no such user";
    public const string MailboxBusyReply = "450 4.2.1 mailbox busy, try again later";

    private const int MaxDataChars = 1 << 20;
    private static readonly TimeSpan ConnectionLimit = TimeSpan.FromSeconds(30);

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<SmtpMessage> messages = new();
    private readonly ConcurrentQueue<string> rejected = new();
    private readonly HashSet<string> rejectRecipients;
    private readonly HashSet<string> deferRecipients;
    private readonly List<Task> sessions = [];
    private readonly Task accepting;

    public SmtpSink(IEnumerable<string>? rejectRecipients = null, IEnumerable<string>? deferRecipients = null)
    {
        this.rejectRecipients = new HashSet<string>(rejectRecipients ?? [], StringComparer.OrdinalIgnoreCase);
        this.deferRecipients = new HashSet<string>(deferRecipients ?? [], StringComparer.OrdinalIgnoreCase);
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public IReadOnlyList<SmtpMessage> Messages => [.. messages];

    /// <summary>Every RCPT TO the sink refused (for good or for now), in order: one entry per attempt to send to such a recipient.</summary>
    public IReadOnlyList<string> RejectedRecipients => [.. rejected];

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (sessions)
            {
                sessions.RemoveAll(session => session.IsCompleted);
                sessions.Add(SessionAsync(client));
            }
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                limit.CancelAfter(ConnectionLimit);
                await ServeAsync(client.GetStream(), limit.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidDataException)
            {
                // The connection ends (or the sink stops); other connections go on.
            }
        }
    }

    private async Task ServeAsync(NetworkStream stream, CancellationToken cancel)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 smtp-sink ready".AsMemory(), cancel);
        var from = "";
        var recipients = new List<string>();
        while (await reader.ReadLineAsync(cancel) is { } line)
        {
            var reply = line.Split(' ', 2)[0].ToUpperInvariant() switch
            {
                "EHLO" or "HELO" => "250 smtp-sink",
                "MAIL" => Reset(out from, recipients, Address(line)),
                "RCPT" => Add(recipients, Address(line)),
                "DATA" => await ReceiveAsync(reader, writer, from, recipients, cancel),
                "RSET" => Reset(out from, recipients, ""),
                "NOOP" => "250 OK",
                "QUIT" => "221 Bye",
                _ => "502 Command not implemented",
            };
            await writer.WriteLineAsync(reply.AsMemory(), cancel);
            if (reply.StartsWith("221", StringComparison.Ordinal)) return;
        }
    }

    private async Task<string> ReceiveAsync(StreamReader reader, StreamWriter writer, string from, List<string> recipients, CancellationToken cancel)
    {
        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>".AsMemory(), cancel);
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancel) is { } line && line != ".")
        {
            data.Append(line.StartsWith("..", StringComparison.Ordinal) ? line[1..] : line).Append("\r\n");
            if (data.Length > MaxDataChars) throw new InvalidDataException("Message larger than the sink accepts.");
        }
        messages.Enqueue(new SmtpMessage(from, [.. recipients], data.ToString()));
        return "250 OK: queued";
    }

    private static string Reset(out string from, List<string> recipients, string sender)
    {
        from = sender;
        recipients.Clear();
        return "250 OK";
    }

    private string Add(List<string> recipients, string recipient)
    {
        if (rejectRecipients.Contains(recipient))
        {
            rejected.Enqueue(recipient);
            return NoSuchUserReply;
        }
        if (deferRecipients.Contains(recipient))
        {
            rejected.Enqueue(recipient);
            return MailboxBusyReply;
        }
        recipients.Add(recipient);
        return "250 OK";
    }

    /// <summary>The address between the angle brackets of <c>MAIL FROM:&lt;a@b&gt;</c> or <c>RCPT TO:&lt;a@b&gt;</c>.</summary>
    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', start + 1);
        return start >= 0 && end > start ? line[(start + 1)..end] : "";
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        Task[] running;
        lock (sessions) running = [.. sessions];
        await Task.WhenAll(running);
        stop.Dispose();
    }
}
