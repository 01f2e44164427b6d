using System;

namespace WeComPS.HelpBuilder
{
    /// <summary>A markdown help file that does not follow the expected layout; reported as file(line): error.</summary>
    internal sealed class HelpFormatException : Exception
    {
        public HelpFormatException(string path, int line, string message)
            : base(message)
        {
            Path = path;
            Line = line;
        }

        public string Path { get; }
        public int Line { get; }

        /// <summary>The canonical MSBuild error format, so the build shows file and line.</summary>
        public override string ToString() => $"{Path}({Line}): error WHB001: {Message}";
    }
}
