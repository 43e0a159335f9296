namespace SaasStarter.Hosting;

/// <summary>
/// The <c>healthcheck</c> verb for the container's HEALTHCHECK: the runtime image has no curl, so the app
/// asks its own /health/ready and exits 0 (ready) or 1, without starting a second server.
/// </summary>
internal static class HealthProbe
{
    public static async Task<int> RunAsync()
    {
        var port = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split(',', ';')[0].Trim();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"));
            Console.WriteLine($"/health/ready: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"/health/ready: {e.Message}");
            return 1;
        }
    }
}
