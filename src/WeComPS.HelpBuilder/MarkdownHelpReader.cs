using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace WeComPS.HelpBuilder
{
    /// <summary>
    /// Reads the platyPS layout of a cmdlet help file: front matter, a "# Name" title, then the sections
    /// SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES and RELATED LINKS.
    /// </summary>
    internal sealed partial class MarkdownHelpReader
    {
        private static readonly string[] Sections = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

        private static readonly string[] MetadataKeys =
        {
            "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters",
        };

        private readonly string _path;

        /// <summary>The front matter's <c>online version</c>: where <c>Get-Help -Online</c> goes.</summary>
        private string? _onlineVersion;

        private MarkdownHelpReader(string path) => _path = path;

        public static CommandHelp Read(string path) => new MarkdownHelpReader(path).Parse(File.ReadAllLines(path));

        private CommandHelp Parse(string[] lines)
        {
            var nodes = Tokenize(lines);
            var title = nodes.FirstOrDefault(n => n.Level == 1) ?? throw Error(1, "The file has no '# <Cmdlet-Name>' title.");
            var name = Path.GetFileNameWithoutExtension(_path);
            if (!string.Equals(title.Text, name, StringComparison.Ordinal))
            {
                throw Error(title.Line, $"The title '# {title.Text}' does not match the file name '{name}.md'.");
            }

            var sections = SplitSections(nodes);
            var parameters = ReadParameters(sections["PARAMETERS"]);
            var syntax = ReadSyntax(sections["SYNTAX"], parameters);
            var help = new CommandHelp(
                name,
                Required(sections["SYNOPSIS"], "SYNOPSIS")[0],
                Required(sections["DESCRIPTION"], "DESCRIPTION"),
                syntax,
                ReadExamples(sections["EXAMPLES"]),
                parameters,
                ReadTypes(sections["INPUTS"]),
                ReadTypes(sections["OUTPUTS"]),
                Paragraphs(sections["NOTES"].Nodes),
                OnlineLink().Concat(ReadLinks(sections["RELATED LINKS"])).ToList());
            CheckSyntaxText(help);
            return help;
        }

        /// <summary>Headings, fenced code blocks and text lines (blank lines kept: they end paragraphs).</summary>
        private List<Node> Tokenize(string[] lines)
        {
            var nodes = new List<Node>();
            var i = 0;
            if (lines.Length > 0 && lines[0].Trim() == "---")
            {
                // Front matter (external help file, Module Name, online version, schema): not part of the help text.
                i = Array.FindIndex(lines, 1, l => l.Trim() == "---") + 1;
                if (i == 0)
                {
                    throw Error(1, "The front matter is not closed by '---'.");
                }

                _onlineVersion = lines.Skip(1).Take(i - 2).Where(l => l.StartsWith("online version:", StringComparison.Ordinal))
                    .Select(l => l.Substring("online version:".Length).Trim()).FirstOrDefault(v => v.Length > 0);
            }

            for (; i < lines.Length; i++)
            {
                var line = lines[i];
                var heading = HeadingPattern().Match(line);
                if (heading.Success)
                {
                    nodes.Add(new Node(NodeKind.Heading, heading.Groups[2].Value.Trim(), i + 1, heading.Groups[1].Length, ""));
                }
                else if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    var start = i;
                    var info = line.Trim().Substring(3).Trim();
                    var body = new List<string>();
                    for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
                    {
                        body.Add(lines[i]);
                    }

                    if (i == lines.Length)
                    {
                        throw Error(start + 1, "A code block is not closed by ```.");
                    }

                    nodes.Add(new Node(NodeKind.Code, string.Join("\n", body).TrimEnd(), start + 1, 0, info));
                }
                else
                {
                    nodes.Add(new Node(NodeKind.Text, line.Trim(), i + 1, 0, ""));
                }
            }

            return nodes;
        }

        private Dictionary<string, Section> SplitSections(List<Node> nodes)
        {
            var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
            Section? current = null;
            var expected = 0;
            foreach (var node in nodes)
            {
                if (node.Kind == NodeKind.Heading && node.Level == 2)
                {
                    if (expected == Sections.Length || node.Text != Sections[expected])
                    {
                        var wanted = expected < Sections.Length ? $"'## {Sections[expected]}'" : "no further section";
                        throw Error(node.Line, $"Found '## {node.Text}' where {wanted} was expected; the sections are, in order: {string.Join(", ", Sections)}.");
                    }

                    current = new Section(node.Text, node.Line, new List<Node>());
                    sections.Add(node.Text, current);
                    expected++;
                }
                else if (current != null)
                {
                    current.Nodes.Add(node);
                }
                else if (node.Kind != NodeKind.Heading && node.Text.Length > 0)
                {
                    throw Error(node.Line, "Text before '## SYNOPSIS'.");
                }
            }

            if (expected < Sections.Length)
            {
                throw Error(nodes.Count > 0 ? nodes[^1].Line : 1, $"The section '## {Sections[expected]}' is missing.");
            }

            return sections;
        }

        private IReadOnlyList<string> Required(Section section, string what)
        {
            var paragraphs = Paragraphs(section.Nodes);
            if (paragraphs.Count == 0 || section.Nodes.Any(n => n.Kind != NodeKind.Text))
            {
                throw Error(section.Line, $"## {what} must be plain text, and not empty.");
            }

            if (what == "SYNOPSIS" && paragraphs.Count != 1)
            {
                throw Error(section.Line, "## SYNOPSIS must be one paragraph.");
            }

            return paragraphs;
        }

        private IReadOnlyList<SyntaxSet> ReadSyntax(Section section, IReadOnlyList<ParameterHelp> parameters)
        {
            var sets = new List<SyntaxSet>();
            foreach (var (heading, body) in Subsections(section))
            {
                var code = body.SingleOrDefault(n => n.Kind == NodeKind.Code) ?? throw Error(heading.Line, $"The syntax of '{heading.Text}' needs exactly one code block.");
                var isDefault = heading.Text.EndsWith(" (Default)", StringComparison.Ordinal);
                var name = isDefault ? heading.Text.Substring(0, heading.Text.Length - " (Default)".Length) : heading.Text;
                sets.Add(new SyntaxSet(name, isDefault, code.Text, code.Line));
            }

            if (sets.Count == 0)
            {
                throw Error(section.Line, "## SYNTAX needs a '### <ParameterSetName>' (or '### __AllParameterSets') and a code block for every parameter set.");
            }

            if (sets.Count > 1 && sets.Count(s => s.IsDefault) != 1)
            {
                throw Error(section.Line, "With several parameter sets, exactly one heading in ## SYNTAX ends with ' (Default)'.");
            }

            var known = new HashSet<string>(sets.Select(s => s.Name), StringComparer.OrdinalIgnoreCase);
            foreach (var parameter in parameters)
            {
                foreach (var set in parameter.Metadata.SelectMany(m => m.Sets).Where(s => !known.Contains(s)))
                {
                    throw Error(section.Line, $"-{parameter.Name} names the parameter set '{set}', which ## SYNTAX does not have.");
                }
            }

            return sets;
        }

        /// <summary>The code block of each set must be the syntax line the parameter metadata implies, so the two never disagree.</summary>
        private void CheckSyntaxText(CommandHelp help)
        {
            foreach (var set in help.Syntax)
            {
                var expected = help.SyntaxLine(set.Name);
                if (Regex.Replace(set.Text, @"\s+", " ").Trim() != expected)
                {
                    throw Error(set.Line, $"The syntax of set '{set.Name}' does not match its parameters' metadata. From the metadata it is: {expected}");
                }
            }
        }

        private IReadOnlyList<ExampleHelp> ReadExamples(Section section)
        {
            var examples = new List<ExampleHelp>();
            foreach (var (heading, body) in Subsections(section))
            {
                if (!ExamplePattern().IsMatch(heading.Text))
                {
                    throw Error(heading.Line, $"An example heading reads '### Example {examples.Count + 1}: <what it shows>' (or '### 示例 {examples.Count + 1}：…'), not '### {heading.Text}'.");
                }

                var code = body.Where(n => n.Kind == NodeKind.Code).Select(n => n.Text).ToList();
                if (code.Count == 0)
                {
                    throw Error(heading.Line, $"'{heading.Text}' has no code block.");
                }

                examples.Add(new ExampleHelp(heading.Text, string.Join("\n\n", code), Paragraphs(body)));
            }

            return examples;
        }

        private IReadOnlyList<ParameterHelp> ReadParameters(Section section)
        {
            var parameters = new List<ParameterHelp>();
            // "### CommonParameters" only points to about_CommonParameters; Get-Help adds that note itself.
            foreach (var (heading, body) in Subsections(section).Where(s => s.Heading.Text != "CommonParameters"))
            {
                if (!heading.Text.StartsWith("-", StringComparison.Ordinal) || heading.Text.Length < 2 || heading.Text.Contains(' ', StringComparison.Ordinal))
                {
                    throw Error(heading.Line, $"A parameter heading reads '### -Name', not '### {heading.Text}'.");
                }

                var name = heading.Text.Substring(1);
                if (parameters.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw Error(heading.Line, $"-{name} is documented twice.");
                }

                var blocks = body.Where(n => n.Kind == NodeKind.Code).ToList();
                if (blocks.Count == 0 || blocks.Any(b => b.Info != "yaml"))
                {
                    throw Error(heading.Line, $"-{name} needs its metadata in ```yaml blocks (one per group of parameter sets in which it behaves alike), and no other code block.");
                }

                var metadata = blocks.Select(ReadMetadata).ToList();
                if (metadata.Count > 1 && metadata.Any(m => m.Sets.Count == 0))
                {
                    throw Error(heading.Line, $"-{name} has several yaml blocks, so each must name its parameter sets rather than {ParameterHelp.AllSets}.");
                }

                var description = Paragraphs(body);
                if (description.Count == 0)
                {
                    throw Error(heading.Line, $"-{name} has no description.");
                }

                parameters.Add(new ParameterHelp(name, description, metadata));
            }

            return parameters;
        }

        private ParameterMetadata ReadMetadata(Node block)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (line, offset) in block.Text.Split('\n').Select((l, i) => (l.Trim(), i + 1)))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var key = colon < 0 ? line : line.Substring(0, colon).Trim();
                if (colon < 0 || !MetadataKeys.Contains(key) || !values.TryAdd(key, line.Substring(colon + 1).Trim()))
                {
                    throw Error(block.Line + offset, $"'{line}' is not one of the keys {string.Join(", ", MetadataKeys)}, each given once.");
                }
            }

            var missing = MetadataKeys.Where(k => !values.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                throw Error(block.Line, $"The yaml block lacks {string.Join(", ", missing)}.");
            }

            var pipeline = values["Accept pipeline input"];
            var pipelineMatch = PipelinePattern().Match(pipeline);
            if (!pipelineMatch.Success)
            {
                throw Error(block.Line, $"'Accept pipeline input: {pipeline}' must be False, or True followed by (ByValue), (ByPropertyName) or (ByPropertyName, ByValue).");
            }

            var position = values["Position"];
            int? index = null;
            if (!position.Equals("Named", StringComparison.OrdinalIgnoreCase))
            {
                index = int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw Error(block.Line, $"'Position: {position}' must be Named or a number.");
            }

            return new ParameterMetadata(
                values["Type"].Length > 0 ? values["Type"] : throw Error(block.Line, "'Type:' is empty."),
                values["Parameter Sets"] == ParameterHelp.AllSets ? Array.Empty<string>() : List(values["Parameter Sets"]),
                List(values["Aliases"]),
                Boolean(values["Required"], "Required", block),
                index,
                values["Default value"].Length > 0 ? values["Default value"] : "None",
                pipeline.Contains("ByValue", StringComparison.Ordinal),
                pipeline.Contains("ByPropertyName", StringComparison.Ordinal),
                Boolean(values["Accept wildcard characters"], "Accept wildcard characters", block));
        }

        private IReadOnlyList<TypeHelp> ReadTypes(Section section) =>
            Subsections(section).Select(s => new TypeHelp(s.Heading.Text, Paragraphs(s.Body))).ToList();

        /// <summary>The link Get-Help -Online opens (it takes the first related link with a uri), when the front matter names one.</summary>
        private IEnumerable<LinkHelp> OnlineLink()
        {
            if (_onlineVersion is null)
            {
                yield break;
            }

            if (!Uri.TryCreate(_onlineVersion, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw Error(1, $"The front matter's online version '{_onlineVersion}' is not an https URI.");
            }

            yield return new LinkHelp("Online Version:", _onlineVersion);
        }

        private IReadOnlyList<LinkHelp> ReadLinks(Section section)
        {
            var links = new List<LinkHelp>();
            foreach (var node in section.Nodes.Where(n => n.Text.Length > 0))
            {
                var match = LinkPattern().Match(node.Text);
                if (node.Kind != NodeKind.Text || !match.Success)
                {
                    throw Error(node.Line, "## RELATED LINKS holds one '[Text](uri)' link a line; the uri may be empty.");
                }

                links.Add(new LinkHelp(match.Groups[1].Value, match.Groups[2].Value));
            }

            return links;
        }

        private IEnumerable<(Node Heading, List<Node> Body)> Subsections(Section section)
        {
            var text = section.Nodes.TakeWhile(n => !(n.Kind == NodeKind.Heading && n.Level == 3)).FirstOrDefault(n => n.Text.Length > 0);
            if (text != null)
            {
                throw Error(text.Line, $"## {section.Name} holds only '### ' subsections.");
            }

            (Node Heading, List<Node> Body)? current = null;
            foreach (var node in section.Nodes)
            {
                if (node.Kind == NodeKind.Heading && node.Level == 3)
                {
                    if (current != null)
                    {
                        yield return current.Value;
                    }

                    current = (node, new List<Node>());
                }
                else if (node.Kind == NodeKind.Heading)
                {
                    throw Error(node.Line, $"Unexpected heading level {node.Level} in ## {section.Name}.");
                }
                else
                {
                    current?.Body.Add(node);
                }
            }

            if (current != null)
            {
                yield return current.Value;
            }
        }

        /// <summary>Text lines as paragraphs: blank lines separate them, list items start their own, markdown marks are dropped.</summary>
        private static List<string> Paragraphs(IEnumerable<Node> nodes)
        {
            var paragraphs = new List<string>();
            var current = new List<string>();
            void Flush()
            {
                if (current.Count > 0)
                {
                    paragraphs.Add(PlainText(string.Join(" ", current)));
                    current.Clear();
                }
            }

            foreach (var node in nodes.Where(n => n.Kind == NodeKind.Text))
            {
                if (node.Text.Length == 0 || ListItemPattern().IsMatch(node.Text))
                {
                    Flush();
                }

                if (node.Text.Length > 0)
                {
                    current.Add(node.Text);
                }
            }

            Flush();
            return paragraphs;
        }

        /// <summary>Markdown inline marks as plain console text: `code` and **bold** lose their marks, [text](uri) keeps the text, \x escapes unescape.</summary>
        internal static string PlainText(string markdown)
        {
            var text = InlineLinkPattern().Replace(markdown, "$1");
            text = text.Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal);
            return EscapePattern().Replace(text, "$1");
        }

        private bool Boolean(string value, string key, Node block) =>
            bool.TryParse(value, out var result) ? result : throw Error(block.Line, $"'{key}: {value}' must be True or False.");

        private static IReadOnlyList<string> List(string value) =>
            value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        private HelpFormatException Error(int line, string message) => new HelpFormatException(_path, line, message);

        [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
        private static partial Regex HeadingPattern();

        [GeneratedRegex(@"^(Example \d+:|示例 \d+：)\s*\S")]
        private static partial Regex ExamplePattern();

        [GeneratedRegex(@"^(False|True \((ByValue|ByPropertyName|ByPropertyName, ByValue)\))$")]
        private static partial Regex PipelinePattern();

        [GeneratedRegex(@"^\[([^\]]+)\]\(([^)]*)\)$")]
        private static partial Regex LinkPattern();

        [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
        private static partial Regex InlineLinkPattern();

        [GeneratedRegex(@"\\([\\`*_{}\[\]()#+\-.!<>|])")]
        private static partial Regex EscapePattern();

        [GeneratedRegex(@"^([-*] |\d+\. )")]
        private static partial Regex ListItemPattern();

        private enum NodeKind
        {
            Heading,
            Code,
            Text,
        }

        private sealed record Node(NodeKind Kind, string Text, int Line, int Level, string Info);

        private sealed record Section(string Name, int Line, List<Node> Nodes);
    }
}
