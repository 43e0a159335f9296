using System.ComponentModel.DataAnnotations;

namespace SaasStarter.Accounts;

/// <summary>A password being chosen, typed twice: the fields every sign-up and reset form shares.</summary>
public abstract class PasswordChoice
{
    [Required(ErrorMessage = "Choose a password.")]
    [MinLength(PasswordRules.MinLength, ErrorMessage = PasswordRules.TooShort)]
    [MaxLength(PasswordRules.MaxLength, ErrorMessage = PasswordRules.TooLong)]
    [DataType(DataType.Password)]
    [Display(Name = "Password")]
    public string Password { get; set; } = "";

    [DataType(DataType.Password)]
    [Display(Name = "Confirm password")]
    [Compare(nameof(Password), ErrorMessage = PasswordRules.Mismatch)]
    public string ConfirmPassword { get; set; } = "";
}

/// <summary>The same for a signed-in user's new password (field names as the stock Manage pages have them).</summary>
public abstract class NewPasswordChoice
{
    [Required(ErrorMessage = "Choose a new password.")]
    [MinLength(PasswordRules.MinLength, ErrorMessage = PasswordRules.TooShort)]
    [MaxLength(PasswordRules.MaxLength, ErrorMessage = PasswordRules.TooLong)]
    [DataType(DataType.Password)]
    [Display(Name = "New password")]
    public string NewPassword { get; set; } = "";

    [DataType(DataType.Password)]
    [Display(Name = "Confirm new password")]
    [Compare(nameof(NewPassword), ErrorMessage = PasswordRules.Mismatch)]
    public string ConfirmPassword { get; set; } = "";
}
