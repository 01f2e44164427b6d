using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using WeComPS.HelpBuilder;

namespace WeComPS.Tests
{
    /// <summary>The markdown reader and MAML writer of WeComPS.HelpBuilder, on small help files written here.</summary>
    public sealed class HelpBuilderTests : IDisposable
    {
        private const string Syntax = """
            ### ById (Default)
            ```
            Get-WeComThing [-Id] <Int32[]> [-Recurse] [<CommonParameters>]
            ```

            ### ByName
            ```
            Get-WeComThing -Name <String> [-Id <Int32[]>] [<CommonParameters>]
            ```
            """;

        private const string Parameters = """
            ### -Id
            The ids.

            ```yaml
            Type: Int32[]
            Parameter Sets: ById
            Aliases: ThingId

            Required: True
            Position: 0
            Default value: None
            Accept pipeline input: True (ByPropertyName, ByValue)
            Accept wildcard characters: False
            ```

            ```yaml
            Type: Int32[]
            Parameter Sets: ByName
            Aliases: ThingId

            Required: False
            Position: Named
            Default value: None
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            ### -Name
            The name; `wildcards` are **allowed**.

            ```yaml
            Type: String
            Parameter Sets: ByName
            Aliases:

            Required: True
            Position: Named
            Default value: None
            Accept pipeline input: False
            Accept wildcard characters: True
            ```

            ### -Recurse
            Also below.

            ```yaml
            Type: SwitchParameter
            Parameter Sets: ById
            Aliases:

            Required: False
            Position: Named
            Default value: False
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            ### CommonParameters
            This cmdlet supports the common parameters.
            """;

        private readonly string _folder = Directory.CreateTempSubdirectory("helpbuilder").FullName;

        [Fact]
        public void Reads_every_section_and_the_metadata_of_each_parameter_set()
        {
            var help = MarkdownHelpReader.Read(Write(Syntax, Parameters));

            Assert.Equal("Gets things.", help.Synopsis);
            Assert.Equal(new[] { "ById", "ByName" }, help.Syntax.Select(s => s.Name));
            Assert.True(help.Syntax[0].IsDefault);
            Assert.Equal(new[] { "Id", "Name", "Recurse" }, help.Parameters.Select(p => p.Name));
            Assert.Equal("The name; wildcards are allowed.", help.Parameters[1].Description.Single());
            Assert.Equal(0, help.Parameters[0].MetadataFor("ById")!.Position);
            Assert.False(help.Parameters[0].MetadataFor("ByName")!.Required);
            Assert.Null(help.Parameters[2].MetadataFor("ByName"));
            Assert.Equal("Get-WeComThing -Name <String> [-Id <Int32[]>] [<CommonParameters>]", help.SyntaxLine("ByName"));
            Assert.Equal("Example 1: Get a thing", help.Examples.Single().Title);
            Assert.Equal("WeComPS.WeComThing", help.Outputs.Single().Name);
        }

        [Fact]
        public void Rejects_a_syntax_block_that_disagrees_with_the_metadata()
        {
            var path = Write(Syntax.Replace("[-Recurse] ", "", StringComparison.Ordinal), Parameters);
            var error = Assert.Throws<HelpFormatException>(() => MarkdownHelpReader.Read(path));
            Assert.Contains("Get-WeComThing [-Id] <Int32[]> [-Recurse] [<CommonParameters>]", error.Message);
            Assert.StartsWith($"{path}(", error.ToString());
        }

        [Fact]
        public void Rejects_a_yaml_block_without_a_key()
        {
            var error = Assert.Throws<HelpFormatException>(() => MarkdownHelpReader.Read(Write(Syntax, Parameters.Replace("Accept wildcard characters: True\n", "", StringComparison.Ordinal))));
            Assert.Contains("lacks Accept wildcard characters", error.Message);
        }

        [Fact]
        public void Writes_MAML_that_Get_Help_reads()
        {
            var maml = MamlWriter.Write(new[] { MarkdownHelpReader.Read(Write(Syntax, Parameters)) });
            XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
            XNamespace maml2004 = "http://schemas.microsoft.com/maml/2004/10";

            var cmdlet = maml.Root!.Element(command + "command")!;
            Assert.Equal("WeComThing", cmdlet.Element(command + "details")!.Element(command + "noun")!.Value);
            var id = cmdlet.Element(command + "parameters")!.Elements(command + "parameter").First();
            Assert.Equal("True (ByPropertyName, ByValue)", id.Attribute("pipelineInput")!.Value);
            Assert.Equal("ThingId", id.Attribute("aliases")!.Value);
            Assert.Equal("0", id.Attribute("position")!.Value);
            var recurseInSyntax = cmdlet.Descendants(command + "syntaxItem").First().Elements(command + "parameter").Last();
            Assert.Equal("Recurse", recurseInSyntax.Element(maml2004 + "name")!.Value);
            Assert.Null(recurseInSyntax.Element(command + "parameterValue"));
        }

        [Fact]
        public void The_online_version_of_the_front_matter_is_the_first_related_link()
        {
            var path = Write(Syntax, Parameters);
            File.WriteAllText(path, File.ReadAllText(path).Replace("Module Name: WeComPS\n", "Module Name: WeComPS\nonline version: https://example.com/Get-WeComThing.md\n", StringComparison.Ordinal));

            var links = MarkdownHelpReader.Read(path).Links;

            Assert.Equal(new LinkHelp("Online Version:", "https://example.com/Get-WeComThing.md"), links[0]);
            File.WriteAllText(path, File.ReadAllText(path).Replace("https://example.com", "example.com", StringComparison.Ordinal));
            Assert.Contains("is not an https URI", Assert.Throws<HelpFormatException>(() => MarkdownHelpReader.Read(path)).Message);
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        private string Write(string syntax, string parameters)
        {
            var path = Path.Combine(_folder, "Get-WeComThing.md");
            File.WriteAllText(path, $"""
                ---
                external help file: WeComPS.dll-Help.xml
                Module Name: WeComPS
                ---

                # Get-WeComThing

                ## SYNOPSIS
                Gets things.

                ## SYNTAX

                {syntax}

                ## DESCRIPTION
                Gets things, by id or by name.

                ## EXAMPLES

                ### Example 1: Get a thing
                ```powershell
                Get-WeComThing -Id 1
                ```

                Returns thing 1.

                ## PARAMETERS

                {parameters}

                ## INPUTS

                ### System.Int32[]
                Ids.

                ## OUTPUTS

                ### WeComPS.WeComThing
                The things.

                ## NOTES

                ## RELATED LINKS

                [Get-WeComUser]()
                """.Replace("\r\n", "\n", StringComparison.Ordinal));
            return path;
        }
    }
}
