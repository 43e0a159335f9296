namespace SaasStarter.Api.RateLimits;

/// <summary>
/// A request body that refuses to be read past <c>limit</c> bytes, for bodies whose size is not announced up front
/// (chunked). Kestrel enforces the same limit from the endpoint's metadata; either refusal is remembered in
/// <see cref="Exceeded"/>, because the JSON binding of minimal APIs takes it for an I/O error and answers 400.
/// </summary>
internal sealed class LimitedRequestBody(Stream inner, long limit) : Stream
{
    private long read;

    public bool Exceeded { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Count(inner.Read(buffer));
        }
        catch (BadHttpRequestException e) when (Notes(e))
        {
            throw; // never reached: Notes only looks
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Count(await inner.ReadAsync(buffer, cancellationToken));
        }
        catch (BadHttpRequestException e) when (Notes(e))
        {
            throw; // never reached: Notes only looks
        }
    }

    /// <summary>Remembers Kestrel's own "too large" as it passes (the filter lets every exception through).</summary>
    private bool Notes(BadHttpRequestException e)
    {
        if (e.StatusCode == StatusCodes.Status413PayloadTooLarge) Exceeded = true;
        return false;
    }

    private int Count(int bytes)
    {
        read += bytes;
        if (read <= limit) return bytes;
        Exceeded = true;
        throw new BadHttpRequestException($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
