using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace WeComPS.Tests
{
    /// <summary>The public surface of the built module: verbs, nouns, ShouldProcess, output types, exports and dependency types.</summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class ModuleSurfaceTests
    {
        /// <summary>
        /// Verbs that only read, connect or present: every other verb changes state and needs -WhatIf and -Confirm.
        /// Export is here because WeCom's export jobs change nothing; the records come out on the pipeline.
        /// </summary>
        private static readonly HashSet<string> ReadOnlyVerbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Get", "Compare", "Find", "Test", "Resolve", "Convert", "ConvertFrom", "ConvertTo", "Connect", "Disconnect", "Wait", "Search", "Show", "Format", "Out", "Export",
        };

        /// <summary>Cmdlets that write nothing to the pipeline and so declare no [OutputType].</summary>
        private static readonly HashSet<string> CmdletsWithoutOutput = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Disconnect-WeCom", "Remove-WeComDepartment", "Remove-WeComUser", "Remove-WeComTag", "Send-WeComInvitation" };

        private readonly BuiltModule _module;

        public ModuleSurfaceTests(BuiltModule module) => _module = module;

        [Fact]
        public void The_module_has_cmdlets()
        {
            Assert.True(_module.Cmdlets.Count > 0, "No public cmdlet class in out/WeComPS/WeComPS.dll.");
            Assert.Contains(_module.Cmdlets, c => c.Name == "Get-WeComUser");
        }

        [Fact]
        public void The_approved_verbs_come_from_System_Management_Automation()
        {
            Assert.Contains("Get", _module.ApprovedVerbs);
            Assert.Contains("Disconnect", _module.ApprovedVerbs);
            Assert.DoesNotContain("Fetch", _module.ApprovedVerbs);
        }

        [Fact]
        public void Every_cmdlet_uses_an_approved_verb_and_a_WeCom_noun() =>
            AssertNone(_module.Cmdlets.SelectMany(c => new[]
            {
                _module.ApprovedVerbs.Contains(c.Verb) ? null : $"{c.Name}: '{c.Verb}' is not an approved verb (Get-Verb lists them).",
                c.Noun.StartsWith("WeCom", StringComparison.Ordinal) ? null : $"{c.Name}: the noun must start with 'WeCom'.",
            }));

        [Fact]
        public void Every_cmdlet_that_changes_state_supports_ShouldProcess() =>
            AssertNone(_module.Cmdlets
                .Where(c => !ReadOnlyVerbs.Contains(c.Verb) && !c.SupportsShouldProcess)
                .Select(c => $"{c.Name}: '{c.Verb}' changes state, so its [Cmdlet] needs SupportsShouldProcess = true (and a ShouldProcess call before the change)."));

        [Fact]
        public void Every_Remove_cmdlet_has_high_ConfirmImpact() =>
            AssertNone(_module.Cmdlets
                .Where(c => c.Verb == "Remove" && c.ConfirmImpact != _module.ConfirmImpactHigh)
                .Select(c => $"{c.Name}: removing is irreversible, so its [Cmdlet] needs ConfirmImpact = ConfirmImpact.High."));

        [Fact]
        public void Every_cmdlet_declares_its_output_type() =>
            AssertNone(_module.Cmdlets
                .Where(c => !c.DeclaresOutputType && !CmdletsWithoutOutput.Contains(c.Name))
                .Select(c => $"{c.Name}: declare [OutputType(typeof(...))], or list it in {nameof(CmdletsWithoutOutput)} if it writes nothing."));

        [Fact]
        public void Every_output_type_of_the_module_has_a_table_view()
        {
            var format = System.Xml.Linq.XDocument.Load(System.IO.Path.Combine(_module.Folder, "WeComPS.format.ps1xml"));
            var viewed = new HashSet<string>(format.Descendants("TypeName").Select(t => t.Value.Trim()), StringComparer.Ordinal);
            AssertNone(_module.Cmdlets
                .SelectMany(c => c.OutputTypes)
                .Where(BuiltModule.IsModuleType)
                .Distinct()
                .Where(t => !Lineage(t).Any(a => viewed.Contains(a.FullName!)))
                .Select(t => $"{t.FullName} is output by a cmdlet but has no table view in WeComPS.format.ps1xml."));

            static IEnumerable<Type> Lineage(Type type)
            {
                for (var t = type; t != null; t = t.BaseType)
                {
                    yield return t;
                }
            }
        }

        [Fact]
        public void The_manifest_exports_exactly_the_cmdlets_of_the_dll()
        {
            var exported = _module.ManifestCmdlets;
            var declared = _module.Cmdlets.Select(c => c.Name).ToList();
            AssertNone(
                declared.Except(exported, StringComparer.Ordinal).Select(n => $"{n} is a cmdlet of WeComPS.dll but not in CmdletsToExport of WeComPS.psd1.")
                .Concat(exported.Except(declared, StringComparer.Ordinal).Select(n => $"CmdletsToExport names {n}, which WeComPS.dll does not define."))
                .Concat(exported.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => $"CmdletsToExport names {g.Key} twice."))
                .Append(exported.Any(n => n.Contains('*', StringComparison.Ordinal)) ? "CmdletsToExport must not use wildcards." : null));
        }

        [Fact]
        public void The_manifest_version_is_the_assembly_version()
        {
            var version = _module.Assembly.GetName().Version!;
            Assert.Equal($"{version.Major}.{version.Minor}.{version.Build}", _module.ManifestVersion);
        }

        [Fact]
        public void No_parameter_or_output_property_exposes_a_dependency_type()
        {
            var problems = new List<string>();
            var visited = new HashSet<Type>();
            foreach (var cmdlet in _module.Cmdlets)
            {
                foreach (var parameter in cmdlet.Parameters)
                {
                    Inspect(parameter.Type, $"{cmdlet.Name} -{parameter.Name}");
                }

                foreach (var output in cmdlet.OutputTypes)
                {
                    Inspect(output, $"{cmdlet.Name} output {output.Name}");
                }
            }

            AssertNone(problems);

            // Walks the type's parts (element and generic argument types) and, for the module's own types, their public properties.
            void Inspect(Type type, string where)
            {
                if (type.HasElementType)
                {
                    Inspect(type.GetElementType()!, where);
                    return;
                }

                if (type.IsGenericType)
                {
                    foreach (var argument in type.GetGenericArguments())
                    {
                        Inspect(argument, where);
                    }
                }

                var assembly = type.Assembly.GetName().Name!;
                if (_module.DependencyAssemblies.Contains(assembly))
                {
                    problems.Add($"{where} exposes {type.FullName ?? type.Name} from the dependency {assembly}: return or take the module's own types.");
                }
                else if (BuiltModule.IsModuleType(type) && visited.Add(type))
                {
                    foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    {
                        Inspect(property.PropertyType, $"{where}.{property.Name}");
                    }
                }
            }
        }

        private static void AssertNone(IEnumerable<string?> problems)
        {
            var found = problems.OfType<string>().ToList();
            Assert.True(found.Count == 0, string.Join(Environment.NewLine, found.Prepend($"{found.Count} problem(s):")));
        }
    }
}
