using SaasStarter.Projects;

namespace SaasStarter.Tests.Features;

/// <summary>The export's cells: RFC 4180 quoting, and no cell a spreadsheet would run as a formula.</summary>
public sealed class ProjectCsvTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("cr\rhere", "\"cr\rhere\"")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tTAB", "'\tTAB")]
    [InlineData("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"")]
    [InlineData("a=b", "a=b")]
    public void A_cell_is_quoted_when_it_must_be_and_never_starts_a_formula(string value, string written) =>
        Assert.Equal(written, ProjectCsv.Cell(value));

    [Fact]
    public void A_row_has_the_six_columns_in_order_with_utc_times()
    {
        var project = new Project
        {
            Name = "Apollo",
            Description = null,
            Status = ProjectStatus.Archived,
            CreatedAtUtc = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            UpdatedAtUtc = new DateTime(2026, 6, 7, 8, 9, 10, DateTimeKind.Utc),
        };

        Assert.Equal("id,name,description,status,created,updated\r\n", ProjectCsv.Header);
        Assert.Equal($"{project.Id},Apollo,,Archived,2026-01-02T03:04:05Z,2026-06-07T08:09:10Z\r\n", ProjectCsv.Row(project));
    }
}
