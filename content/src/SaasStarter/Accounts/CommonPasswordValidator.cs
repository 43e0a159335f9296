using System.Collections.Frozen;
using Microsoft.AspNetCore.Identity;
using SaasStarter.Data;

namespace SaasStarter.Accounts;

/// <summary>
/// OWASP ASVS 5.0 (6.2.4, the most common passwords; not 6.2.12, which asks for a breach corpus): refuses the passwords
/// attackers try first, offline: those on the embedded list
/// <c>CommonPasswords.txt</c>, and any that is a short run repeated ("aaaaaaaaaaaa", "abcabcabcabc") or a plain sequence
/// ("123456789012", "lkjhgfdsapoi"), in any letter case and with or without spaces. It runs wherever Identity takes a
/// new password: registration, reset, change, set password, first-run setup.
/// </summary>
internal sealed class CommonPasswordValidator : IPasswordValidator<AppUser>
{
    public const string Message = "This password is too common; choose another.";

    /// <summary>The longest run that, repeated, makes a password (four: "abcd" over and over, not "passphrase ").</summary>
    private const int LongestRepeatedRun = 4;

    /// <summary>Sequences as people type them: in order, from any point, wrapping round ("7890123…").</summary>
    private static readonly string[] Sequences = ["0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm"];

    private static readonly Lazy<FrozenSet<string>> List = new(Load);

    // A shorter password is refused for its length; one reason is enough.
    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(password is { Length: >= PasswordLengthValidator.MinLength } && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordTooCommon", Description = Message })
            : IdentityResult.Success);

    private static bool IsCommon(string password)
    {
        var candidate = Normalize(password);
        return candidate.Length > 0
            && (List.Value.Contains(candidate) || IsRepeatedRun(candidate) || IsSequence(candidate) || IsSequence(Reversed(candidate)));
    }

    private static string Normalize(string password) =>
        string.Concat(password.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();

    private static bool IsRepeatedRun(string candidate)
    {
        for (var run = 1; run <= LongestRepeatedRun && run < candidate.Length; run++)
        {
            var repeats = true;
            for (var i = run; i < candidate.Length && repeats; i++) repeats = candidate[i] == candidate[i - run];
            if (repeats) return true;
        }
        return false;
    }

    private static bool IsSequence(string candidate) =>
        Sequences.Any(sequence =>
        {
            var start = sequence.IndexOf(candidate[0], StringComparison.Ordinal);
            if (start < 0) return false;
            for (var i = 1; i < candidate.Length; i++)
            {
                if (candidate[i] != sequence[(start + i) % sequence.Length]) return false;
            }
            return true;
        });

    private static string Reversed(string candidate)
    {
        var chars = candidate.ToCharArray();
        Array.Reverse(chars);
        return new string(chars);
    }

    /// <summary>The list, normalized as a candidate is; lines starting with # are comments.</summary>
    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var entries = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#')) entries.Add(Normalize(line));
        }
        return entries.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The resource's name as the project file gives it (LogicalName), the same whatever the app is called.</summary>
    private const string ResourceName = "CommonPasswords.txt";
}
