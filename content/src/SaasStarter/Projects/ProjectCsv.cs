using System.Globalization;
using System.Text;

namespace SaasStarter.Projects;

/// <summary>
/// Projects as CSV (RFC 4180: comma-separated, CRLF line ends, a field quoted when it holds a comma, a quote or a line
/// break, quotes doubled). The file is made for spreadsheets, which run a cell that starts with = + - @ (or a tab or a
/// carriage return) as a formula: such a cell is written with a leading single quote, so a project named
/// <c>=HYPERLINK(...)</c> stays text.
/// </summary>
public static class ProjectCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static readonly string Header = Line(["id", "name", "description", "status", "created", "updated"]);

    public static string Row(Project project) => Line(
    [
        project.Id.ToString(),
        project.Name,
        project.Description ?? "",
        project.Status.ToString(),
        Time(project.CreatedAtUtc),
        Time(project.UpdatedAtUtc),
    ]);

    /// <summary>One field, neutralised against formulas, then quoted if it must be.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Line(IEnumerable<string> cells)
    {
        var line = new StringBuilder();
        foreach (var cell in cells)
        {
            if (line.Length > 0) line.Append(',');
            line.Append(Cell(cell));
        }
        return line.Append("\r\n").ToString();
    }

    private static string Time(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
