using Xunit.Sdk;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// A fact written once in an abstract test class and run by each concrete subclass, one per database
/// provider. In a class that runs on PostgreSQL (one with <c>IClassFixture&lt;PostgresAppFactory&gt;</c> or
/// <see cref="IRunsOnPostgres"/>) it skips like <see cref="PostgresFactAttribute"/> when no server is configured.
/// </summary>
[XunitTestCaseDiscoverer("SaasStarter.Tests.Infrastructure.ProviderFactDiscoverer", "SaasStarter.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProviderFactAttribute : FactAttribute;

/// <summary>The theory counterpart of <see cref="ProviderFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("SaasStarter.Tests.Infrastructure.ProviderTheoryDiscoverer", "SaasStarter.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProviderTheoryAttribute : TheoryAttribute;

/// <summary>Marks a test class that creates its own <see cref="PostgresAppFactory"/> instances.</summary>
public interface IRunsOnPostgres;

public sealed class ProviderFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        if (SkipReason(testMethod) is { } reason)
        {
            yield return new SkippedTestCase(diagnosticMessageSink, display, displayOptions, testMethod, reason);
        }
        else
        {
            yield return new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod);
        }
    }

    /// <summary>Null when the test method can run in its class, else why not.</summary>
    public static string? SkipReason(ITestMethod testMethod)
    {
        var testClass = testMethod.TestClass.Class.ToRuntimeType();
        var onPostgres = testClass is not null
            && (typeof(IClassFixture<PostgresAppFactory>).IsAssignableFrom(testClass) || typeof(IRunsOnPostgres).IsAssignableFrom(testClass));
        return onPostgres ? TestEnvironment.PostgresSkipReason : null;
    }
}

public sealed class ProviderTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        ProviderFactDiscoverer.SkipReason(testMethod) is { } reason
            ? [new SkippedTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}

/// <summary>A test case whose skip reason is decided at discovery, not written in the attribute.</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    private string reason = "";

    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippedTestCase() { }

    public SkippedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod testMethod, string reason)
        : base(sink, display, displayOptions, testMethod)
    {
        this.reason = reason;
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => reason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("SkipReason", reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        reason = data.GetValue<string>("SkipReason");
        base.Deserialize(data);
    }
}
