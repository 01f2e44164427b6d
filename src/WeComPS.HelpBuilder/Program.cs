using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using WeComPS.HelpBuilder;

// Usage: WeComPS.HelpBuilder <markdown folder> <output folder> <MAML file name>
// Turns every <Cmdlet-Name>.md of one culture's folder into one MAML file and copies its about_*.help.txt topics.
// Help files already in the output folder (a topic since removed) are deleted first.
if (args.Length != 3)
{
    Console.Error.WriteLine("Usage: WeComPS.HelpBuilder <markdown folder> <output folder> <MAML file name>");
    return 2;
}

var (source, output, mamlName) = (Path.GetFullPath(args[0]), Path.GetFullPath(args[1]), args[2]);
var markdown = Directory.GetFiles(source, "*.md").Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
var topics = Directory.GetFiles(source, "about_*.help.txt").Order(StringComparer.Ordinal).ToList();
if (markdown.Count == 0)
{
    Console.Error.WriteLine($"{source}: error WHB002: No cmdlet help (<Cmdlet-Name>.md) in this folder.");
    return 1;
}

CommandHelp[] commands;
try
{
    commands = markdown.Select(MarkdownHelpReader.Read).ToArray();
}
catch (HelpFormatException ex)
{
    Console.Error.WriteLine(ex.ToString());
    return 1;
}

// UTF-8 with a byte order mark: Windows PowerShell 5.1 reads help text without one as the ANSI code page.
var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
Directory.CreateDirectory(output);
foreach (var stale in Directory.GetFiles(output, "*-Help.xml").Concat(Directory.GetFiles(output, "about_*.help.txt")))
{
    File.Delete(stale);
}

using (var writer = XmlWriter.Create(Path.Combine(output, mamlName), new XmlWriterSettings { Encoding = utf8, Indent = true }))
{
    MamlWriter.Write(commands).Save(writer);
}

foreach (var topic in topics)
{
    File.WriteAllText(Path.Combine(output, Path.GetFileName(topic)), File.ReadAllText(topic), utf8);
}

Console.WriteLine($"{commands.Length} cmdlet help topics and {topics.Count} about topics -> {output}");
return 0;
