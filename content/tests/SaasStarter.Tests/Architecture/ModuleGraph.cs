using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SaasStarter.Tests.Architecture;

/// <summary>
/// Which module of the app uses which, read from the compiled app (Mono.Cecil): every type a type names in its base types,
/// interfaces, attributes, members' signatures and method bodies (IL), generic arguments included. A module is the first
/// namespace segment under the app's root namespace (one folder each); compiled Razor views belong to the folder of their
/// .cshtml file (Areas/Identity is the accounts module's); compiler-generated types (lambdas, async state machines) to the
/// type that contains them. Program and Migrations compose every module and belong to none.
/// </summary>
public sealed class ModuleGraph
{
    public const string Composition = "(composition)";

    private readonly string root;
    private readonly Dictionary<(string From, string To), string> edges = [];

    public ModuleGraph(string assemblyPath, string rootNamespace)
    {
        root = rootNamespace;
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        foreach (var type in assembly.MainModule.GetTypes())
        {
            var from = ModuleOf(type);
            if (from is null) continue;
            foreach (var used in Referenced(type))
            {
                // Within the app's own module a type is named by its definition; anything else lives in another assembly.
                if (used is not TypeDefinition definition) continue;
                var to = ModuleOf(definition);
                if (to is null || to == from) continue;
                edges.TryAdd((from, to), $"{type.FullName} uses {used.FullName}");
            }
        }
    }

    /// <summary>Every (from, to) module pair, with one example of the reference behind it.</summary>
    public IReadOnlyDictionary<(string From, string To), string> Edges => edges;

    public IEnumerable<string> Modules => edges.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct().Order(StringComparer.Ordinal);

    private string? ModuleOf(TypeDefinition? type)
    {
        if (type is null) return null;
        while (type.DeclaringType is not null) type = type.DeclaringType;
        if (type.Namespace == "AspNetCoreGeneratedDocument") return ModuleOfView(type);
        if (type.Namespace.Length == 0) return type.Name is "Program" or "<Program>$" ? Composition : null;
        if (!type.Namespace.StartsWith(root + ".", StringComparison.Ordinal)) return null;
        var module = type.Namespace[(root.Length + 1)..].Split('.')[0];
        return module switch
        {
            "Migrations" => Composition,
            "Areas" => "Accounts",
            _ => module,
        };
    }

    /// <summary>A compiled view's module: the first folder of its file, from the metadata Razor writes on the class.</summary>
    private static string? ModuleOfView(TypeDefinition view)
    {
        var identifier = view.CustomAttributes
            .Where(a => a.AttributeType.Name == "RazorCompiledItemMetadataAttribute" && a.ConstructorArguments.Count == 2)
            .Where(a => (string)a.ConstructorArguments[0].Value == "Identifier")
            .Select(a => (string)a.ConstructorArguments[1].Value)
            .FirstOrDefault();
        if (identifier is null) return null;
        var segments = identifier.TrimStart('/').Split('/');
        return segments.Length == 1 ? "Pages" : segments[0] == "Areas" ? "Accounts" : segments[0];
    }

    private static IEnumerable<TypeReference> Referenced(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? reference)
        {
            switch (reference)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    foreach (var argument in generic.GenericArguments) Add(argument);
                    return;
                case TypeSpecification specification:
                    Add(specification.ElementType);
                    return;
                case GenericParameter:
                    return;
                default:
                    found.Add(reference);
                    return;
            }
        }
        void AddAttributes(Mono.Collections.Generic.Collection<CustomAttribute> attributes)
        {
            foreach (var attribute in attributes)
            {
                Add(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments.Concat(attribute.Properties.Select(p => p.Argument)))
                {
                    Add(argument.Type);
                    if (argument.Value is TypeReference typeArgument) Add(typeArgument);
                }
            }
        }
        void AddMember(MemberReference member)
        {
            Add(member.DeclaringType);
            switch (member)
            {
                case GenericInstanceMethod generic:
                    foreach (var argument in generic.GenericArguments) Add(argument);
                    AddMember(generic.ElementMethod);
                    break;
                case MethodReference method:
                    Add(method.ReturnType);
                    foreach (var parameter in method.Parameters) Add(parameter.ParameterType);
                    break;
                case FieldReference field:
                    Add(field.FieldType);
                    break;
            }
        }

        Add(type.BaseType);
        foreach (var implemented in type.Interfaces) Add(implemented.InterfaceType);
        AddAttributes(type.CustomAttributes);
        foreach (var parameter in type.GenericParameters) foreach (var constraint in parameter.Constraints) Add(constraint.ConstraintType);
        foreach (var field in type.Fields)
        {
            Add(field.FieldType);
            AddAttributes(field.CustomAttributes);
        }
        foreach (var property in type.Properties)
        {
            Add(property.PropertyType);
            AddAttributes(property.CustomAttributes);
        }
        foreach (var method in type.Methods)
        {
            Add(method.ReturnType);
            AddAttributes(method.CustomAttributes);
            foreach (var parameter in method.Parameters)
            {
                Add(parameter.ParameterType);
                AddAttributes(parameter.CustomAttributes);
            }
            if (!method.HasBody) continue;
            foreach (var variable in method.Body.Variables) Add(variable.VariableType);
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference operandType:
                        Add(operandType);
                        break;
                    case MemberReference member:
                        AddMember(member);
                        break;
                }
            }
        }
        return found;
    }
}
