using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace WeComPS.Sandbox
{
    /// <summary>The fields of a multipart/form-data request (media/upload), parsed from its raw bytes.</summary>
    public sealed class SandboxForm
    {
        private static readonly Regex Boundary = new Regex(@"boundary=(?:""(?<b>[^""]+)""|(?<b>[^;\s]+))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex Name = new Regex(@"\bname=""?(?<v>[^"";]*)""?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex FileName = new Regex(@"\bfilename=""?(?<v>[^"";]*)""?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private SandboxForm(IReadOnlyList<SandboxFormFile> files) => Files = files;

        /// <summary>Every part, in order.</summary>
        public IReadOnlyList<SandboxFormFile> Files { get; }

        /// <summary>The part named <paramref name="name"/>, or null.</summary>
        public SandboxFormFile? this[string name] => Files.FirstOrDefault(f => f.Name == name);

        /// <summary>The form of a multipart/form-data body; null for any other content type. A broken body gives a form with no parts.</summary>
        public static SandboxForm? Parse(string? contentType, byte[]? body)
        {
            if (contentType is null || body is null || !contentType.TrimStart().StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var files = new List<SandboxFormFile>();
            var boundary = Boundary.Match(contentType);
            if (!boundary.Success)
            {
                return new SandboxForm(files);
            }

            var delimiter = Encoding.ASCII.GetBytes("--" + boundary.Groups["b"].Value);
            var start = IndexOf(body, delimiter, 0);
            while (start >= 0)
            {
                var headersStart = start + delimiter.Length;
                if (headersStart + 2 > body.Length || (body[headersStart] == '-' && body[headersStart + 1] == '-'))
                {
                    break;
                }

                var headersEnd = IndexOf(body, new[] { (byte)'\r', (byte)'\n', (byte)'\r', (byte)'\n' }, headersStart);
                var next = IndexOf(body, delimiter, headersStart);
                if (headersEnd < 0 || next < 0 || headersEnd > next)
                {
                    break;
                }

                var headers = Encoding.UTF8.GetString(body, headersStart, headersEnd - headersStart);
                var contentStart = headersEnd + 4;
                var contentEnd = next - 2; // the CRLF before the next delimiter
                var disposition = headers.Split('\n').FirstOrDefault(h => h.TrimStart().StartsWith("Content-Disposition", StringComparison.OrdinalIgnoreCase)) ?? "";
                var content = new byte[Math.Max(0, contentEnd - contentStart)];
                Array.Copy(body, contentStart, content, 0, content.Length);
                files.Add(new SandboxFormFile(Name.Match(disposition).Groups["v"].Value, FileName.Match(disposition) is { Success: true } f ? f.Groups["v"].Value : null, content));
                start = next;
            }

            return new SandboxForm(files);
        }

        private static int IndexOf(byte[] haystack, byte[] needle, int from)
        {
            for (var i = from; i <= haystack.Length - needle.Length; i++)
            {
                var j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j])
                {
                    j++;
                }

                if (j == needle.Length)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>One part of a multipart form.</summary>
    public sealed class SandboxFormFile
    {
        public SandboxFormFile(string name, string? fileName, byte[] content)
        {
            Name = name;
            FileName = fileName;
            Content = content;
        }

        public string Name { get; }
        public string? FileName { get; }
        public byte[] Content { get; }
    }
}
