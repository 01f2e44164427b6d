using System;
using System.IO;
using System.Linq;

namespace WeComPS.Tests
{
    /// <summary>Windows PowerShell 5.1 reads a script without a byte order mark in the ANSI code page, which garbles Chinese text.</summary>
    public sealed class ScriptEncodingTests
    {
        [Fact]
        public void Scripts_with_non_ASCII_text_start_with_a_UTF8_byte_order_mark()
        {
            var root = BuiltModule.RepoRoot;
            var scripts = Directory.GetFiles(Path.Combine(root, "tests", "Pester"), "*.ps1").Append(Path.Combine(root, "build.ps1"));
            var missing = scripts
                .Select(path => (Path: path, Bytes: File.ReadAllBytes(path)))
                .Where(s => s.Bytes.Any(b => b > 0x7F) && !s.Bytes.Take(3).SequenceEqual(new byte[] { 0xEF, 0xBB, 0xBF }))
                .Select(s => Path.GetRelativePath(root, s.Path))
                .ToList();
            Assert.True(missing.Count == 0, "Save as UTF-8 with BOM: " + string.Join(", ", missing));
        }
    }
}
