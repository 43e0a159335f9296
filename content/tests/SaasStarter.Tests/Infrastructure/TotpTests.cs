using System.Text;

namespace SaasStarter.Tests.Infrastructure;

public sealed class TotpTests
{
    [Fact]
    public void Totp_matches_the_RFC_6238_SHA1_test_vectors()
    {
        var key = Encoding.ASCII.GetBytes("12345678901234567890");
        Assert.Equal("94287082", Totp.Code(key, DateTimeOffset.FromUnixTimeSeconds(59), digits: 8));
        Assert.Equal("07081804", Totp.Code(key, DateTimeOffset.FromUnixTimeSeconds(1111111109), digits: 8));
        Assert.Equal("287082", Totp.Code(key, DateTimeOffset.FromUnixTimeSeconds(59)));
    }

    [Fact]
    public void Base32_keys_decode_as_authenticator_apps_read_them()
    {
        // RFC 4648 test vector, written the way Identity shows keys: lower case, in groups of four.
        Assert.Equal("foobar"u8.ToArray(), Totp.FromBase32("mzxw 6ytb oi======"));
    }
}
