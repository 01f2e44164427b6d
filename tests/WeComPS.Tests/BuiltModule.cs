using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace WeComPS.Tests
{
    /// <summary>
    /// The module as built in out/WeComPS, read with a MetadataLoadContext: its cmdlets, their parameters and
    /// attributes, and its manifest. Nothing in it is ever loaded for execution.
    /// </summary>
    public sealed class BuiltModule : IDisposable
    {
        public const string AllParameterSets = "__AllParameterSets";
        private const string Automation = "System.Management.Automation.";
        private readonly MetadataLoadContext _context;

        public BuiltModule()
        {
            Folder = Path.Combine(RepoRoot, "out", "WeComPS");
            var dll = Path.Combine(Folder, "WeComPS.dll");
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing: build the solution first (dotnet build WeComPS.sln).");
            }

            var reference = Path.Combine(AppContext.BaseDirectory, "reference", "System.Management.Automation.dll");
            var dependencies = Directory.GetFiles(Path.Combine(Folder, "dependencies"), "*.dll");
            DependencyAssemblies = new HashSet<string>(dependencies.Select(Path.GetFileNameWithoutExtension)!, StringComparer.OrdinalIgnoreCase);
            var moduleFiles = Directory.GetFiles(Folder, "*.dll").Concat(dependencies).Append(reference).ToList();
            var shipped = new HashSet<string>(moduleFiles.Select(Path.GetFileName)!, StringComparer.OrdinalIgnoreCase);
            // The runtime's own assemblies stand in for netstandard and the framework; the module's copies come first.
            var framework = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll").Where(f => !shipped.Contains(Path.GetFileName(f)));
            _context = new MetadataLoadContext(new PathAssemblyResolver(moduleFiles.Concat(framework)));

            Assembly = _context.LoadFromAssemblyPath(dll);
            var automation = _context.LoadFromAssemblyPath(reference);
            ApprovedVerbs = automation.GetExportedTypes()
                .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
                .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
                .Select(f => (string)f.GetRawConstantValue()!)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            ConfirmImpactHigh = Convert.ToInt32(automation.GetType(Automation + "ConfirmImpact", throwOnError: true)!.GetField("High")!.GetRawConstantValue());
            Cmdlets = Assembly.GetExportedTypes().Select(ReadCmdlet).OfType<CmdletMetadata>().OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            Manifest = File.ReadAllText(Path.Combine(Folder, "WeComPS.psd1"));
        }

        /// <summary>out/WeComPS.</summary>
        public string Folder { get; }

        /// <summary>WeComPS.dll, in the metadata-only context.</summary>
        public Assembly Assembly { get; }

        /// <summary>The simple names of the third-party assemblies shipped in dependencies/.</summary>
        public IReadOnlySet<string> DependencyAssemblies { get; }

        /// <summary>The constants of the Verbs* classes of System.Management.Automation.</summary>
        public IReadOnlySet<string> ApprovedVerbs { get; }

        /// <summary>The raw value of ConfirmImpact.High.</summary>
        public int ConfirmImpactHigh { get; }

        public IReadOnlyList<CmdletMetadata> Cmdlets { get; }

        /// <summary>The text of the built WeComPS.psd1.</summary>
        public string Manifest { get; }

        /// <summary>The quoted names in the manifest's CmdletsToExport = @(...).</summary>
        public IReadOnlyList<string> ManifestCmdlets
        {
            get
            {
                var list = Regex.Match(Manifest, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)");
                Assert.True(list.Success, "The manifest has no CmdletsToExport = @(...) list.");
                return Regex.Matches(list.Groups["list"].Value, @"'([^']*)'|""([^""]*)""").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToList();
            }
        }

        /// <summary>The manifest's ModuleVersion.</summary>
        public string ManifestVersion => Regex.Match(Manifest, @"ModuleVersion\s*=\s*'([^']*)'").Groups[1].Value;

        /// <summary>Whether <paramref name="type"/> comes from one of this module's own assemblies.</summary>
        public static bool IsModuleType(Type type) => type.Assembly.GetName().Name!.StartsWith("WeComPS", StringComparison.Ordinal);

        public void Dispose() => _context.Dispose();

        private static CmdletMetadata? ReadCmdlet(Type type)
        {
            var cmdlet = Attribute(type.GetCustomAttributesData(), "CmdletAttribute");
            if (cmdlet is null || type.IsAbstract)
            {
                return null;
            }

            var verb = (string)cmdlet.ConstructorArguments[0].Value!;
            var noun = (string)cmdlet.ConstructorArguments[1].Value!;
            var outputTypes = type.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == Automation + "OutputTypeAttribute")
                .SelectMany(a => (ReadOnlyCollection<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
                .Select(a => a.Value)
                .ToList();
            var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(ReadParameter)
                .OfType<ParameterMetadata>()
                .ToList();
            return new CmdletMetadata(
                verb + "-" + noun,
                verb,
                noun,
                type,
                Named<bool>(cmdlet, "SupportsShouldProcess"),
                Named<object>(cmdlet, "ConfirmImpact") is { } impact ? Convert.ToInt32(impact) : null,
                Named<string>(cmdlet, "DefaultParameterSetName"),
                outputTypes.Count > 0,
                outputTypes.OfType<Type>().Where(t => t.FullName != "System.Void").ToList(),
                parameters);
        }

        private static ParameterMetadata? ReadParameter(PropertyInfo property)
        {
            var attributes = property.GetCustomAttributesData();
            var sets = attributes
                .Where(a => a.AttributeType.FullName == Automation + "ParameterAttribute")
                .Select(a => new ParameterSetEntry(
                    Named<string>(a, "ParameterSetName") ?? AllParameterSets,
                    Named<bool>(a, "Mandatory"),
                    Named<int?>(a, "Position") is int position && position != int.MinValue ? position : null,
                    Named<bool>(a, "ValueFromPipeline"),
                    Named<bool>(a, "ValueFromPipelineByPropertyName")))
                .ToList();
            if (sets.Count == 0)
            {
                return null;
            }

            var aliases = Attribute(attributes, "AliasAttribute") is { } alias
                ? ((ReadOnlyCollection<CustomAttributeTypedArgument>)alias.ConstructorArguments[0].Value!).Select(a => (string)a.Value!).ToList()
                : new List<string>();
            return new ParameterMetadata(property.Name, property.PropertyType, aliases, Attribute(attributes, "SupportsWildcardsAttribute") != null, sets);
        }

        private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
            attributes.FirstOrDefault(a => a.AttributeType.FullName == Automation + name);

        private static T? Named<T>(CustomAttributeData attribute, string name)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.MemberName == name)
                {
                    return (T?)argument.TypedValue.Value;
                }
            }

            return default;
        }

        /// <summary>The folder of WeComPS.sln, above the test assembly.</summary>
        public static string RepoRoot => FindRepoRoot();

        private static string FindRepoRoot()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "WeComPS.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException($"No WeComPS.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>A cmdlet class of the module, as its attributes declare it.</summary>
    public sealed record CmdletMetadata(
        string Name,
        string Verb,
        string Noun,
        Type Type,
        bool SupportsShouldProcess,
        int? ConfirmImpact,
        string? DefaultParameterSetName,
        bool DeclaresOutputType,
        IReadOnlyList<Type> OutputTypes,
        IReadOnlyList<ParameterMetadata> Parameters)
    {
        /// <summary>The parameter sets PowerShell builds: the named ones (and the default), or only the all-sets one.</summary>
        public IReadOnlyList<string> ParameterSets
        {
            get
            {
                var named = Parameters.SelectMany(p => p.Sets).Select(s => s.Name).Append(DefaultParameterSetName)
                    .OfType<string>().Where(s => s != BuiltModule.AllParameterSets).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                return named.Count > 0 ? named : new[] { BuiltModule.AllParameterSets };
            }
        }

        /// <summary>Each parameter of <paramref name="set"/> with how it behaves there.</summary>
        public IEnumerable<(ParameterMetadata Parameter, ParameterSetEntry Entry)> ParametersOf(string set) =>
            Parameters
                .Select(p => (Parameter: p, Entry: p.Sets.FirstOrDefault(s => s.Name.Equals(set, StringComparison.OrdinalIgnoreCase)) ?? p.Sets.FirstOrDefault(s => s.Name == BuiltModule.AllParameterSets)))
                .Where(x => x.Entry != null)
                .Select(x => (x.Parameter, x.Entry!));
    }

    /// <summary>A [Parameter] property: its type, aliases, wildcard support and one entry per [Parameter] attribute.</summary>
    public sealed record ParameterMetadata(string Name, Type Type, IReadOnlyList<string> Aliases, bool SupportsWildcards, IReadOnlyList<ParameterSetEntry> Sets)
    {
        public bool ByValue => Sets.Any(s => s.ByValue);

        public bool ByPropertyName => Sets.Any(s => s.ByPropertyName);

        /// <summary>The type as help names it: Int32[] or WeComTagMemberType for a Nullable&lt;WeComTagMemberType&gt;.</summary>
        public string TypeName => (Type.IsGenericType && Type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? Type.GetGenericArguments()[0] : Type).Name;
    }

    public sealed record ParameterSetEntry(string Name, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

    [CollectionDefinition(Name)]
    public sealed class BuiltModuleCollection : ICollectionFixture<BuiltModule>
    {
        public const string Name = "Built module";
    }
}
