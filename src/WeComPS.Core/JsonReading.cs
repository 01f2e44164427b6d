using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace WeComPS
{
    /// <summary>
    /// Reads WeCom answers. An absent or null property reads as <c>null</c>, never as "" or 0, so fields WeCom
    /// withholds stay distinguishable from empty ones. Numbers sent as strings (gender is "1") read as numbers.
    /// </summary>
    internal static class JsonReading
    {
        public static JsonElement? Prop(this JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null ? p : (JsonElement?)null;

        public static string? Str(this JsonElement e, string name) => e.Prop(name) is { } p ? AsString(p) : null;

        public static long? Long(this JsonElement e, string name) => e.Prop(name) is { } p ? AsLong(p) : null;

        public static int? Int(this JsonElement e, string name) => e.Long(name) is { } v ? (int)v : (int?)null;

        public static IEnumerable<JsonElement> Items(this JsonElement e, string name) =>
            e.Prop(name) is { ValueKind: JsonValueKind.Array } p ? p.EnumerateArray() : Enumerable.Empty<JsonElement>();

        public static long[]? LongArray(this JsonElement e, string name) => e.ArrayOf(name, x => AsLong(x) ?? 0);

        public static int[]? IntArray(this JsonElement e, string name) => e.ArrayOf(name, x => (int)(AsLong(x) ?? 0));

        /// <summary>Numbers as flags: anything but 0 is true.</summary>
        public static bool[]? FlagArray(this JsonElement e, string name) => e.ArrayOf(name, x => (AsLong(x) ?? 0) != 0);

        public static string[]? StrArray(this JsonElement e, string name) => e.ArrayOf(name, x => AsString(x) ?? "");

        /// <summary>
        /// The array <paramref name="name"/>, each item read by <paramref name="read"/>; null when absent. A loop rather
        /// than LINQ: each LINQ operator over a value type is more code to compile on first use, and every read parses arrays.
        /// </summary>
        private static T[]? ArrayOf<T>(this JsonElement e, string name, System.Func<JsonElement, T> read)
        {
            if (e.Prop(name) is not { ValueKind: JsonValueKind.Array } array)
            {
                return null;
            }

            var values = new T[array.GetArrayLength()];
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                values[i++] = read(item);
            }

            return values;
        }

        private static string? AsString(JsonElement p) => p.ValueKind switch
        {
            JsonValueKind.String => p.GetString(),
            JsonValueKind.Number => p.GetRawText(),
            JsonValueKind.True => "1",
            JsonValueKind.False => "0",
            _ => null,
        };

        private static long? AsLong(JsonElement p) => p.ValueKind switch
        {
            JsonValueKind.Number when p.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(p.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }
}
