using SaasStarter.Tenancy;

namespace SaasStarter.Tests.Tenancy;

public sealed class TenantSlugTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("acme-ltd")]
    [InlineData("a1b")]
    [InlineData("0123456789012345678901234567890123456789")]
    public void Lowercase_letters_digits_and_single_dashes_of_3_to_40_are_accepted(string slug) =>
        Assert.Null(TenantSlug.Problem(slug));

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("01234567890123456789012345678901234567890")]
    [InlineData("Acme")]
    [InlineData("acme_ltd")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("ac--me")]
    [InlineData("acmé")]
    [InlineData("admin")]
    [InlineData("api")]
    [InlineData("setup")]
    [InlineData("account")]
    public void Anything_else_and_reserved_words_are_refused_with_a_reason(string slug) =>
        Assert.False(string.IsNullOrWhiteSpace(TenantSlug.Problem(slug)));

    [Theory]
    [InlineData("Acme Ltd.", "acme-ltd")]
    [InlineData("  Big   Shop  ", "big-shop")]
    [InlineData("Café Olé", "caf-ol")]
    public void A_slug_is_suggested_from_the_name(string name, string slug) =>
        Assert.Equal(slug, TenantSlug.Suggest(name));

    [Theory]
    [InlineData("")]
    [InlineData("Acme\0Inc")]
    [InlineData("Acme\u0007")]
    public void Empty_names_and_names_with_control_characters_are_refused(string name) =>
        Assert.NotNull(TenantSlug.NameProblem(name));

    [Fact]
    public void An_ordinary_name_with_accents_and_emoji_is_accepted() => Assert.Null(TenantSlug.NameProblem("Café Ünïcode 🚀"));
}
