using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace WeComPS.HelpBuilder
{
    /// <summary>Writes command help in the MAML schema that Get-Help reads from &lt;Assembly&gt;-Help.xml.</summary>
    internal static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        public static XDocument Write(IEnumerable<CommandHelp> commands) =>
            new XDocument(
                new XDeclaration("1.0", "utf-8", null),
                new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(CommandElement)));

        private static XElement CommandElement(CommandHelp help)
        {
            var dash = help.Name.IndexOf('-');
            return new XElement(
                Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XElement(
                    Command + "details",
                    new XElement(Command + "name", help.Name),
                    new XElement(Command + "verb", help.Name.Substring(0, dash)),
                    new XElement(Command + "noun", help.Name.Substring(dash + 1)),
                    Description(new[] { help.Synopsis })),
                Description(help.Description),
                new XElement(
                    Command + "syntax",
                    help.Syntax.OrderByDescending(s => s.IsDefault).Select(set => new XElement(
                        Command + "syntaxItem",
                        new XElement(Maml + "name", help.Name),
                        help.ParametersOf(set.Name).Select(x => ParameterElement(x.Parameter, x.Metadata, inSyntax: true))))),
                new XElement(
                    Command + "parameters",
                    help.Parameters.Select(p => ParameterElement(p, p.Metadata[0], inSyntax: false))),
                new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement(Command + "inputType", t))),
                new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement(Command + "returnValue", t))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))),
                new XElement(Command + "examples", help.Examples.Select(ExampleElement)),
                new XElement(
                    Command + "relatedLinks",
                    help.Links.Select(link => new XElement(
                        Maml + "navigationLink",
                        new XElement(Maml + "linkText", link.Text),
                        new XElement(Maml + "uri", link.Uri)))));
        }

        private static XElement ParameterElement(ParameterHelp parameter, ParameterMetadata metadata, bool inSyntax)
        {
            // Get-Help shows a switch without a value in the syntax, and as [<SwitchParameter>] in the parameter list.
            var showValue = !(inSyntax && metadata.IsSwitch);
            return new XElement(
                Command + "parameter",
                new XAttribute("required", metadata.Required ? "true" : "false"),
                new XAttribute("variableLength", "true"),
                new XAttribute("globbing", metadata.Globbing ? "true" : "false"),
                new XAttribute("pipelineInput", metadata.PipelineInput),
                new XAttribute("position", metadata.PositionText),
                new XAttribute("aliases", metadata.Aliases.Count == 0 ? "none" : string.Join(", ", metadata.Aliases)),
                new XElement(Maml + "name", parameter.Name),
                Description(parameter.Description),
                showValue
                    ? new XElement(
                        Command + "parameterValue",
                        new XAttribute("required", metadata.IsSwitch ? "false" : "true"),
                        new XAttribute("variableLength", "false"),
                        metadata.Type)
                    : null,
                new XElement(Dev + "type", new XElement(Maml + "name", metadata.Type), new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue", metadata.DefaultValue));
        }

        private static XElement TypeElement(XName name, TypeHelp type) =>
            new XElement(
                name,
                new XElement(Dev + "type", new XElement(Maml + "name", type.Name)),
                Description(type.Description));

        private static XElement ExampleElement(ExampleHelp example) =>
            new XElement(
                Command + "example",
                new XElement(Maml + "title", $"-------------------------- {example.Title} --------------------------"),
                new XElement(Dev + "code", example.Code),
                // The empty paragraph leaves a blank line before the next example's title.
                new XElement(Dev + "remarks", Paragraphs(example.Remarks.Append(""))));

        private static XElement Description(IEnumerable<string> paragraphs) => new XElement(Maml + "description", Paragraphs(paragraphs));

        private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) => paragraphs.Select(p => new XElement(Maml + "para", p));
    }
}
