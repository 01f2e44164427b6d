using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace WeComPS.Sandbox
{
    /// <summary>Reads an uploaded import file as WeCom does: UTF-8 (a byte-order mark is skipped) CSV per RFC 4180, a header row then the data rows.</summary>
    internal static class SandboxCsv
    {
        private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        /// <summary>The data rows as header-to-cell maps, or null (with <paramref name="error"/>) when the file is not such a CSV.</summary>
        public static List<Dictionary<string, string>>? Read(byte[] file, out string error)
        {
            error = "";
            string text;
            try
            {
                text = StrictUtf8.GetString(file).TrimStart('\uFEFF');
            }
            catch (DecoderFallbackException)
            {
                error = "the file is not UTF-8";
                return null;
            }

            var records = Records(text);
            if (records is null)
            {
                error = "a quoted field is not closed";
                return null;
            }

            if (records.Count == 0)
            {
                error = "the file has no header row";
                return null;
            }

            var header = records[0].Select(h => h.Trim()).ToList();
            return records.Skip(1)
                .Where(r => r.Any(cell => cell.Length > 0))
                .Select(r => header.Select((h, i) => (h, v: i < r.Count ? r[i].Trim() : "")).Where(c => c.h.Length > 0).GroupBy(c => c.h).ToDictionary(g => g.Key, g => g.First().v))
                .ToList();
        }

        /// <summary>The records of <paramref name="text"/>; null when a quote is left open.</summary>
        private static List<List<string>>? Records(string text)
        {
            var records = new List<List<string>>();
            var record = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var any = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c != '"')
                    {
                        field.Append(c);
                    }
                    else if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }

                    continue;
                }

                switch (c)
                {
                    case '"':
                        quoted = true;
                        any = true;
                        break;
                    case ',':
                        record.Add(field.ToString());
                        field.Clear();
                        any = true;
                        break;
                    case '\r':
                    case '\n':
                        if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                        {
                            i++;
                        }

                        record.Add(field.ToString());
                        records.Add(record);
                        record = new List<string>();
                        field.Clear();
                        any = false;
                        break;
                    default:
                        field.Append(c);
                        any = true;
                        break;
                }
            }

            if (quoted)
            {
                return null;
            }

            if (any || field.Length > 0)
            {
                record.Add(field.ToString());
                records.Add(record);
            }

            return records;
        }
    }
}
