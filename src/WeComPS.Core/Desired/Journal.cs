using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WeComPS
{
    /// <summary>One applied change as the journal records it: when, where, what, and how it ended. Never a secret or a token.</summary>
    public sealed class WeComJournalEntry
    {
        public DateTimeOffset Time { get; set; }
        public string CorpId { get; set; } = "";
        /// <summary>The name of the connection that made the change.</summary>
        public string Connection { get; set; } = "";
        public WeComPlanAction Action { get; set; }
        public WeComPlanObjectType ObjectType { get; set; }
        public string Target { get; set; } = "";
        public string? Name { get; set; }
        [JsonConverter(typeof(WeComJournal.FieldChangesConverter))]
        public WeComFieldChanges Changes { get; set; } = new WeComFieldChanges(new WeComFieldChange[0]);
        /// <summary>Fields not sent because WeCom keeps the member's own value; absent when none.</summary>
        [JsonConverter(typeof(WeComJournal.FieldChangesConverter))]
        public WeComFieldChanges? Kept { get; set; }
        public WeComPlanResultStatus Outcome { get; set; }
        public WeComApplyStrategy Strategy { get; set; }
        public string? JobId { get; set; }
        public int? ErrCode { get; set; }
        public string? Message { get; set; }

        [JsonIgnore]
        public string Summary => string.Join("; ", Changes);

        public override string ToString() => $"{Time:u} {Outcome}: {Action} {Target}";
    }

    /// <summary>
    /// The journal of applied changes: one JSON object per line, appended (UTF-8), so it can be tailed, shipped to a
    /// log store or read back with <see cref="Read"/>.
    /// </summary>
    public static class WeComJournal
    {
        /// <summary>A journal line's changes as the JSON array of Field, Old, New that older lines hold too.</summary>
        internal sealed class FieldChangesConverter : JsonConverter<WeComFieldChanges>
        {
            public override WeComFieldChanges Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                new WeComFieldChanges(JsonSerializer.Deserialize<List<WeComFieldChange>>(ref reader, options) ?? new List<WeComFieldChange>());

            public override void Write(Utf8JsonWriter writer, WeComFieldChanges value, JsonSerializerOptions options) =>
                JsonSerializer.Serialize(writer, value.ToList(), options);
        }

        private static readonly object Writing = new object();
        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new JsonStringEnumConverter() },
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };

        /// <summary>The journal line of one applied item.</summary>
        public static WeComJournalEntry Entry(WeComConnection connection, WeComPlanResult result) => new WeComJournalEntry
        {
            Time = DateTimeOffset.UtcNow,
            CorpId = connection.CorpId,
            Connection = connection.Name,
            Action = result.Action,
            ObjectType = result.ObjectType,
            Target = result.Target,
            Name = result.Name,
            Changes = result.Changes,
            Kept = result.Kept.Count == 0 ? null : result.Kept,
            Outcome = result.Status,
            Strategy = result.Strategy,
            JobId = result.JobId,
            ErrCode = result.ErrCode,
            Message = result.Message,
        };

        /// <summary>Appends <paramref name="entries"/> to the journal at <paramref name="path"/>, creating it and its folder if needed.</summary>
        public static void Append(string path, IEnumerable<WeComJournalEntry> entries)
        {
            var text = new StringBuilder();
            foreach (var entry in entries)
            {
                text.Append(JsonSerializer.Serialize(entry, Json)).Append('\n');
            }

            lock (Writing)
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(path));
                if (!string.IsNullOrEmpty(folder))
                {
                    Directory.CreateDirectory(folder);
                }

                using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
                var bytes = new UTF8Encoding(false).GetBytes(text.ToString());
                stream.Write(bytes, 0, bytes.Length);
            }
        }

        /// <summary>The entries of the journal at <paramref name="path"/>, oldest first; a line that is not an entry is an error naming its number.</summary>
        public static IEnumerable<WeComJournalEntry> Read(string path)
        {
            var number = 0;
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8);
            while (reader.ReadLine() is { } line)
            {
                number++;
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                WeComJournalEntry? entry;
                try
                {
                    entry = JsonSerializer.Deserialize<WeComJournalEntry>(line, Json);
                }
                catch (JsonException ex)
                {
                    throw WeComException.InvalidInput("InvalidJournalLine", Msg.Get("NotAJournalEntry", number, path, ex.Message));
                }

                if (entry != null)
                {
                    yield return entry;
                }
            }
        }
    }
}
