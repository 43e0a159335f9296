using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using SaasStarter.Hosting;
using SaasStarter.Tenancy;
using SaasStarter.Core;

namespace SaasStarter.Tests.Tenancy;

/// <summary>The <c>Tenancy</c> settings: what start-up refuses, and which hosts are tenant hosts.</summary>
public sealed class TenancyHostingTests
{
    private static TenancyHosting Read(params (string Key, string Value)[] settings) =>
        TenancyHosting.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    private static readonly TenancyHosting Host = Read(("Tenancy:Mode", "Host"), ("Tenancy:BaseDomain", "Example.com"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("path")]
    public void Path_is_the_default_and_names_no_tenant_host(string? mode)
    {
        var hosting = mode is null ? Read() : Read(("Tenancy:Mode", mode), ("Tenancy:BaseDomain", "example.com"));

        Assert.Equal(TenancyMode.Path, hosting.Mode);
        Assert.Null(hosting.CookieDomain);
        Assert.Null(hosting.TenantOfHost(new HostString("acme.example.com")));
    }

    [Fact]
    public void Host_mode_keeps_the_base_domain_in_lowercase()
    {
        Assert.Equal(TenancyMode.Host, Host.Mode);
        Assert.Equal("example.com", Host.BaseDomain);
        Assert.Equal("example.com", Host.CookieDomain);
    }

    [Theory]
    [InlineData("Subdomain", "Tenancy:Mode")]
    [InlineData("1", "Tenancy:Mode")]
    public void An_unknown_mode_stops_start_up_naming_it(string mode, string setting)
    {
        var error = Assert.Throws<ConfigurationError>(() => Read(("Tenancy:Mode", mode)));

        Assert.Equal(setting, error.Setting);
        Assert.Contains("Path or Host", error.Message);
    }

    [Fact]
    public void Host_mode_without_a_base_domain_stops_start_up_naming_it()
    {
        var error = Assert.Throws<ConfigurationError>(() => Read(("Tenancy:Mode", "Host")));

        Assert.Equal("Tenancy:BaseDomain", error.Setting);
        Assert.Contains("required when Tenancy:Mode is Host", error.Message);
    }

    [Theory]
    [InlineData("https://example.com")]
    [InlineData("example.com:8443")]
    [InlineData("example.com/app")]
    [InlineData("*.example.com")]
    [InlineData(".example.com")]
    [InlineData("127.0.0.1")]
    public void A_base_domain_that_is_not_a_bare_host_name_stops_start_up(string domain)
    {
        var error = Assert.Throws<ConfigurationError>(() => Read(("Tenancy:Mode", "Host"), ("Tenancy:BaseDomain", domain)));

        Assert.Equal("Tenancy:BaseDomain", error.Setting);
        Assert.Contains("bare host name", error.Message);
    }

    [Fact]
    public void A_single_label_base_domain_stops_start_up_as_browsers_refuse_its_cookie()
    {
        var error = Assert.Throws<ConfigurationError>(() => Read(("Tenancy:Mode", "Host"), ("Tenancy:BaseDomain", "localhost")));

        Assert.Equal("Tenancy:BaseDomain", error.Setting);
        Assert.Contains("app.localhost", error.Message);
    }

    [Theory]
    [InlineData("https://app.example.org", false)]
    [InlineData("https://notexample.com", false)]
    [InlineData("https://example.com", true)]
    [InlineData("https://app.example.com:8443", true)]
    public void The_public_url_must_be_on_the_base_domain_where_the_sign_in_cookie_lives(string publicUrl, bool accepted)
    {
        TenancyHosting Configure() => Read(("Tenancy:Mode", "Host"), ("Tenancy:BaseDomain", "example.com"), ("App:PublicUrl", publicUrl));

        if (accepted)
        {
            Assert.Equal("example.com", Configure().BaseDomain);
        }
        else
        {
            Assert.Equal("Tenancy:BaseDomain", Assert.Throws<ConfigurationError>(Configure).Setting);
        }
    }

    [Theory]
    [InlineData("acme.example.com", "acme")]
    [InlineData("ACME.Example.COM:8443", "acme")]
    [InlineData("team-42.example.com.", "team-42")]
    [InlineData("example.com", null)]
    [InlineData("www.example.com", null)]
    [InlineData("app.example.com", null)]
    [InlineData("ab.example.com", null)]
    [InlineData("a.acme.example.com", null)]
    [InlineData("acme.example.com.evil.test", null)]
    [InlineData("acmeexample.com", null)]
    [InlineData("localhost", null)]
    public void A_tenant_host_is_one_slug_under_the_base_domain_and_never_a_reserved_word(string host, string? slug)
    {
        Assert.Equal(slug, Host.TenantOfHost(new HostString(host)));
    }

    [Fact]
    public void Links_to_a_tenant_are_paths_in_path_mode_and_hosts_in_host_mode()
    {
        var request = new DefaultHttpContext().Request;
        request.Scheme = "https";
        request.Host = new HostString("example.com", 8443);

        Assert.Equal("/t/acme/members?p=2", Read().Link(request, "acme", "/members", new QueryString("?p=2")));
        Assert.Equal("/t/acme", Read().Link(request, "acme"));
        Assert.Equal("https://acme.example.com:8443/members?p=2", Host.Link(request, "acme", "/members", new QueryString("?p=2")));
        Assert.Equal("https://acme.example.com:8443/", Host.Link(request, "acme"));
        Assert.Equal("acme.example.com", Host.Address("acme"));
        Assert.Equal("/t/acme", Read().Address("acme"));
    }
}
