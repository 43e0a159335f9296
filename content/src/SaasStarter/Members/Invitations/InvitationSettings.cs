using System.ComponentModel.DataAnnotations;

namespace SaasStarter.Members.Invitations;

/// <summary>The <c>Invitations</c> section: how long an invitation link works after it is sent (<c>ValidForDays</c>, 7 by default).</summary>
public sealed record InvitationSettings(
    [property: Range(1, 90, ErrorMessage = "must be a whole number of days from 1 to 90.")] int ValidForDays = InvitationSettings.DefaultDays)
{
    public const string Section = "Invitations";
    public const int DefaultDays = 7;

    public TimeSpan ValidFor => TimeSpan.FromDays(ValidForDays);
}
