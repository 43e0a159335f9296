using SaasStarter.Hosting;
using SaasStarter.Core;

namespace SaasStarter.Members.Invitations;

/// <summary><c>Invitations:ValidForDays</c> (default 7): how long an invitation link works after it is sent.</summary>
public sealed record InvitationSettings(TimeSpan ValidFor)
{
    public const int DefaultDays = 7;

    public static InvitationSettings Read(IConfiguration configuration)
    {
        const string key = "Invitations:ValidForDays";
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return new(TimeSpan.FromDays(DefaultDays));
        return int.TryParse(text, out var days) && days is >= 1 and <= 90
            ? new(TimeSpan.FromDays(days))
            : throw new ConfigurationError(key, $"must be a whole number of days from 1 to 90, not '{text}'");
    }
}
