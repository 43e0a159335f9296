using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SaasStarter.Core;

/// <summary>
/// The one way a module reads its settings: an options class (a record whose constructor parameters name the keys and
/// carry the defaults) bound from its configuration section, then checked with data annotations and
/// <see cref="IValidatableObject"/>, nested settings included. Done once, while the module is added, so a wrong value
/// stops start-up with <see cref="ConfigurationError"/> naming the setting (one line, exit code 2) before anything runs.
/// The value is registered as <c>IOptions&lt;T&gt;</c> and as <typeparamref name="T"/> itself.
/// </summary>
public static partial class Settings
{
    public static T AddSettings<T>(this WebApplicationBuilder builder, string section) where T : class
    {
        var settings = Read<T>(builder.Configuration, section);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(Options.Create(settings));
        return settings;
    }

    /// <summary>Binds and checks <paramref name="section"/> (absent: every default); throws <see cref="ConfigurationError"/>.</summary>
    public static T Read<T>(IConfiguration config, string section) where T : class
    {
        T settings;
        try
        {
            settings = Leaves(config, section).Get<T>() ?? Defaults<T>();
        }
        catch (InvalidOperationException e) when (ConversionFailure().Match(e.Message) is { Success: true } failure)
        {
            var value = failure.Groups["value"].Value;
            throw new ConfigurationError(failure.Groups["path"].Value, $"'{value}' is not {Describe(failure.Groups["type"].Value)}.");
        }
        Check(settings, section);
        return settings;
    }

    /// <summary>
    /// The section's values only: a provider may also give a parent key an empty value (the test host's command line
    /// does), which the binder would then try to convert into the nested settings object.
    /// </summary>
    private static IConfigurationSection Leaves(IConfiguration config, string section) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(config.GetSection(section).AsEnumerable().Where(entry => !config.GetSection(entry.Key).GetChildren().Any()))
            .Build()
            .GetSection(section);

    /// <summary>The settings when the section is absent: every constructor parameter at its default.</summary>
    private static T Defaults<T>()
    {
        var constructor = typeof(T).GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return (T)constructor.Invoke([.. constructor.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : null)]);
    }

    /// <summary>Data annotations, then <see cref="IValidatableObject"/>, then the same for nested settings objects.</summary>
    private static void Check(object settings, string path)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
        {
            var first = results[0];
            var member = first.MemberNames.FirstOrDefault();
            throw new ConfigurationError(member is null ? path : $"{path}:{member}", first.ErrorMessage ?? "is not valid.");
        }
        foreach (var property in settings.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length > 0 || !IsSettings(property.PropertyType)) continue;
            if (property.GetValue(settings) is { } nested) Check(nested, $"{path}:{property.Name}");
        }
    }

    private static bool IsSettings(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type) && type.Assembly == typeof(Settings).Assembly;

    private static string Describe(string type) => type switch
    {
        "System.Boolean" => "true or false",
        "System.Int32" or "System.Int64" => "a whole number",
        "System.TimeSpan" => "a time span (e.g. 00:00:10)",
        _ when typeof(Settings).Assembly.GetType(type) is { IsEnum: true } choice => $"one of {string.Join(", ", Enum.GetNames(choice))}",
        _ => $"a valid {type.Split('.')[^1]}",
    };

    [GeneratedRegex("Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();
}
