using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace WeComPS.Tests
{
    /// <summary>
    /// The MAML help of every culture the module ships, against the cmdlets of the built DLL: every cmdlet and
    /// parameter documented, and what the help says about each parameter true of the binary.
    /// </summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class ModuleHelpTests
    {
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private readonly BuiltModule _module;

        public ModuleHelpTests(BuiltModule module) => _module = module;

        public static TheoryData<string> Cultures => new TheoryData<string> { "en-US", "zh-CN" };

        [Theory]
        [MemberData(nameof(Cultures))]
        public void Every_cmdlet_has_a_synopsis_a_description_and_an_example(string culture)
        {
            var help = ReadHelp(culture);
            var problems = new List<string>();
            foreach (var cmdlet in _module.Cmdlets)
            {
                if (!help.TryGetValue(cmdlet.Name, out var command))
                {
                    problems.Add($"{cmdlet.Name} has no help: write {culture}/{cmdlet.Name}.md.");
                    continue;
                }

                var synopsis = Text(command.Element(Command + "details")?.Element(Maml + "description"));
                if (synopsis.Length == 0 || synopsis.StartsWith(cmdlet.Name, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{cmdlet.Name} has no synopsis.");
                }

                if (Text(command.Element(Maml + "description")).Length == 0)
                {
                    problems.Add($"{cmdlet.Name} has no description.");
                }

                if (!command.Descendants(Command + "example").Any(e => Text(e.Element(Dev + "code")).Length > 0))
                {
                    problems.Add($"{cmdlet.Name} has no example.");
                }
            }

            problems.AddRange(help.Keys.Except(_module.Cmdlets.Select(c => c.Name), StringComparer.OrdinalIgnoreCase)
                .Select(name => $"{culture}/{name}.md documents a cmdlet that WeComPS.dll does not define."));
            AssertNone(culture, problems);
        }

        [Theory]
        [MemberData(nameof(Cultures))]
        public void Every_parameter_is_documented_as_the_binary_declares_it(string culture)
        {
            var help = ReadHelp(culture);
            var problems = new List<string>();
            foreach (var cmdlet in _module.Cmdlets.Where(c => help.ContainsKey(c.Name)))
            {
                var documented = help[cmdlet.Name].Element(Command + "parameters")?.Elements(Command + "parameter")
                    .ToDictionary(p => Text(p.Element(Maml + "name")), StringComparer.OrdinalIgnoreCase) ?? new Dictionary<string, XElement>();
                foreach (var parameter in cmdlet.Parameters)
                {
                    var where = $"{cmdlet.Name} -{parameter.Name}";
                    if (!documented.TryGetValue(parameter.Name, out var element))
                    {
                        problems.Add($"{where} is not documented.");
                        continue;
                    }

                    if (Text(element.Element(Maml + "description")).Length == 0)
                    {
                        problems.Add($"{where} has no description.");
                    }

                    Compare(problems, where, "Type", parameter.TypeName, Text(element.Element(Dev + "type")?.Element(Maml + "name")));
                    Compare(problems, where, "Aliases", string.Join(", ", parameter.Aliases.Order(StringComparer.OrdinalIgnoreCase)), AliasesOf(element));
                    Compare(problems, where, "Accept wildcard characters", parameter.SupportsWildcards.ToString(), Attribute(element, "globbing"));
                    Compare(problems, where, "Accept pipeline input", PipelineInput(parameter), Attribute(element, "pipelineInput"));
                }

                // -WhatIf and -Confirm come with SupportsShouldProcess; anything else must exist.
                var known = cmdlet.Parameters.Select(p => p.Name).Concat(cmdlet.SupportsShouldProcess ? new[] { "WhatIf", "Confirm" } : Array.Empty<string>());
                problems.AddRange(documented.Keys.Except(known, StringComparer.OrdinalIgnoreCase).Select(name => $"{cmdlet.Name} -{name} is documented but does not exist."));
            }

            AssertNone(culture, problems);
        }

        [Theory]
        [MemberData(nameof(Cultures))]
        public void The_syntax_has_the_parameter_sets_of_the_binary(string culture)
        {
            var help = ReadHelp(culture);
            var problems = new List<string>();
            foreach (var cmdlet in _module.Cmdlets.Where(c => help.ContainsKey(c.Name)))
            {
                // A set is compared as its parameters with Required and Position; the help does not name the sets.
                var binary = cmdlet.ParameterSets
                    .Select(set => Signature(cmdlet.ParametersOf(set).Select(x => (x.Parameter.Name, x.Entry.Mandatory, x.Entry.Position?.ToString() ?? "named"))))
                    .Order(StringComparer.OrdinalIgnoreCase).ToList();
                var documented = help[cmdlet.Name].Descendants(Command + "syntaxItem")
                    .Select(item => Signature(item.Elements(Command + "parameter")
                        .Select(p => (Name: Text(p.Element(Maml + "name")), Required: Attribute(p, "required").Equals("true", StringComparison.OrdinalIgnoreCase), Position: Attribute(p, "position").ToLowerInvariant()))
                        .Where(p => !(cmdlet.SupportsShouldProcess && (p.Name == "WhatIf" || p.Name == "Confirm")))))
                    .Order(StringComparer.OrdinalIgnoreCase).ToList();
                foreach (var missing in binary.Except(documented, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add($"{cmdlet.Name}: the binary has the parameter set [{missing}], which the syntax in {culture}/{cmdlet.Name}.md does not show.");
                }

                foreach (var extra in documented.Except(binary, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add($"{cmdlet.Name}: the syntax in {culture}/{cmdlet.Name}.md shows [{extra}], which is not a parameter set of the binary.");
                }
            }

            AssertNone(culture, problems);
        }

        [Theory]
        [MemberData(nameof(Cultures))]
        public void The_about_topic_ships(string culture) =>
            Assert.True(File.Exists(Path.Combine(_module.Folder, culture, "about_WeComPS.help.txt")), $"{culture}/about_WeComPS.help.txt is not in the module.");

        [Fact]
        public void No_markdown_is_shipped() =>
            Assert.Empty(Directory.GetFiles(_module.Folder, "*.md", SearchOption.AllDirectories));

        private Dictionary<string, XElement> ReadHelp(string culture)
        {
            var path = Path.Combine(_module.Folder, culture, "WeComPS.dll-Help.xml");
            Assert.True(File.Exists(path), $"{path} is missing: the build generates it from {culture}/*.md.");
            var commands = XDocument.Load(path).Root!.Elements(Command + "command").ToList();
            var duplicate = commands.GroupBy(NameOf, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            Assert.True(duplicate is null, $"{culture}: {duplicate?.Key} is documented twice.");
            return commands.ToDictionary(NameOf, StringComparer.OrdinalIgnoreCase);

            static string NameOf(XElement command) => Text(command.Element(Command + "details")?.Element(Command + "name"));
        }

        private static string Signature(IEnumerable<(string Name, bool Required, string Position)> parameters) =>
            string.Join(" ", parameters.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Select(p => $"{p.Name}({(p.Required ? "required" : "optional")}, position {p.Position})"));

        private static string PipelineInput(ParameterMetadata parameter)
        {
            var kinds = new[] { parameter.ByPropertyName ? "ByPropertyName" : null, parameter.ByValue ? "ByValue" : null }.OfType<string>().ToList();
            return kinds.Count == 0 ? "False" : $"True ({string.Join(", ", kinds)})";
        }

        private static string AliasesOf(XElement parameter)
        {
            var aliases = Attribute(parameter, "aliases");
            return aliases.Equals("none", StringComparison.OrdinalIgnoreCase)
                ? ""
                : string.Join(", ", aliases.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.OrdinalIgnoreCase));
        }

        private static void Compare(List<string> problems, string where, string what, string binary, string help)
        {
            if (!string.Equals(binary, help, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{where}: '{what}' is '{help}' in the help but '{binary}' in the binary.");
            }
        }

        private static string Attribute(XElement element, string name) => element.Attribute(name)?.Value ?? "";

        private static string Text(XElement? element) => element?.Value.Trim() ?? "";

        private static void AssertNone(string culture, List<string> problems) =>
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Prepend($"{culture}: {problems.Count} problem(s):")));
    }
}
