using System;
using System.Collections.Generic;
using System.Linq;

namespace WeComPS.HelpBuilder
{
    /// <summary>The help of one cmdlet, as written in its markdown file.</summary>
    internal sealed record CommandHelp(
        string Name,
        string Synopsis,
        IReadOnlyList<string> Description,
        IReadOnlyList<SyntaxSet> Syntax,
        IReadOnlyList<ExampleHelp> Examples,
        IReadOnlyList<ParameterHelp> Parameters,
        IReadOnlyList<TypeHelp> Inputs,
        IReadOnlyList<TypeHelp> Outputs,
        IReadOnlyList<string> Notes,
        IReadOnlyList<LinkHelp> Links)
    {
        /// <summary>The parameters of <paramref name="set"/> in syntax order: positional by position, then mandatory, then the rest, -WhatIf and -Confirm last.</summary>
        public IEnumerable<(ParameterHelp Parameter, ParameterMetadata Metadata)> ParametersOf(string set) =>
            Parameters
                .Select((p, index) => (Parameter: p, Metadata: p.MetadataFor(set), Index: index))
                .Where(x => x.Metadata != null)
                .OrderBy(x => ParameterHelp.IsRiskMitigation(x.Parameter.Name) ? 1 : 0)
                .ThenBy(x => x.Metadata!.Position ?? int.MaxValue)
                .ThenBy(x => x.Metadata!.Required ? 0 : 1)
                .ThenBy(x => x.Index)
                .Select(x => (x.Parameter, x.Metadata!));

        /// <summary>The syntax line of <paramref name="set"/>, as Get-Help shows it.</summary>
        public string SyntaxLine(string set)
        {
            var parts = ParametersOf(set).Select(x => x.Metadata.SyntaxFragment(x.Parameter.Name)).Append("[<CommonParameters>]");
            return Name + " " + string.Join(" ", parts);
        }
    }

    /// <summary>A parameter set named in ## SYNTAX.</summary>
    internal sealed record SyntaxSet(string Name, bool IsDefault, string Text, int Line);

    internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

    internal sealed record TypeHelp(string Name, IReadOnlyList<string> Description);

    internal sealed record LinkHelp(string Text, string Uri);

    internal sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterMetadata> Metadata)
    {
        public const string AllSets = "(All)";

        /// <summary>-WhatIf and -Confirm: documented like any parameter, but placed last.</summary>
        public static bool IsRiskMitigation(string name) =>
            name.Equals("WhatIf", StringComparison.OrdinalIgnoreCase) || name.Equals("Confirm", StringComparison.OrdinalIgnoreCase);

        /// <summary>How the parameter behaves in <paramref name="set"/>; null when it is not part of that set.</summary>
        public ParameterMetadata? MetadataFor(string set) =>
            Metadata.FirstOrDefault(m => m.Sets.Contains(set, StringComparer.OrdinalIgnoreCase))
            ?? Metadata.FirstOrDefault(m => m.Sets.Count == 0);
    }

    /// <summary>One yaml block of a parameter: its behaviour in the sets it names (none: in every set).</summary>
    internal sealed record ParameterMetadata(
        string Type,
        IReadOnlyList<string> Sets,
        IReadOnlyList<string> Aliases,
        bool Required,
        int? Position,
        string DefaultValue,
        bool ByValue,
        bool ByPropertyName,
        bool Globbing)
    {
        public bool IsSwitch => Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase);

        /// <summary>The pipelineInput attribute of MAML: "False" or "True (ByPropertyName, ByValue)".</summary>
        public string PipelineInput
        {
            get
            {
                var kinds = new[] { ByPropertyName ? "ByPropertyName" : null, ByValue ? "ByValue" : null }.OfType<string>().ToList();
                return kinds.Count == 0 ? "False" : $"True ({string.Join(", ", kinds)})";
            }
        }

        /// <summary>The MAML position: a number, or "named".</summary>
        public string PositionText => Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named";

        public string SyntaxFragment(string name)
        {
            var fragment = Position is null ? "-" + name : "[-" + name + "]";
            if (!IsSwitch)
            {
                fragment += " <" + Type + ">";
            }

            return Required ? fragment : "[" + fragment + "]";
        }
    }
}
