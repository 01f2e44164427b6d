using System;
using System.Globalization;

namespace WeComPS
{
    /// <summary>
    /// How many deletions a command may make without the admin raising the limit: a count ("200") or a share of what the
    /// directory holds now ("25%"). The default, 10% but always at least 5, lets routine leavers through and stops a
    /// replace fed a truncated HR file, which WeCom's own guard (45026: over 20% of more than 50 members) lets through
    /// up to a fifth of the corp.
    /// </summary>
    internal sealed class DeleteLimit
    {
        /// <summary>10% of the directory, at least 5.</summary>
        public static readonly DeleteLimit Default = new DeleteLimit(null, 10, "10% (at least 5)");

        private readonly int? _count;
        private readonly double? _percent;
        private readonly string _text;

        private DeleteLimit(int? count, double? percent, string text)
        {
            _count = count;
            _percent = percent;
            _text = text;
        }

        /// <summary>"200" or "25%"; null or blank is the default.</summary>
        public static DeleteLimit Parse(string? text)
        {
            var trimmed = (text ?? "").Trim();
            if (trimmed.Length == 0)
            {
                return Default;
            }

            if (trimmed.EndsWith("%", StringComparison.Ordinal)
                && double.TryParse(trimmed.Substring(0, trimmed.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent >= 0 && percent <= 100)
            {
                return new DeleteLimit(null, percent, trimmed);
            }

            return int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                ? new DeleteLimit(count, null, trimmed)
                : throw WeComException.InvalidInput("InvalidMaxDelete", Msg.Get("InvalidMaxDelete", text));
        }

        /// <summary>The most deletions allowed out of <paramref name="existing"/> items.</summary>
        public int Of(int existing) => _count ?? (ReferenceEquals(this, Default) ? Math.Max(5, existing / 10) : (int)Math.Floor(existing * _percent!.Value / 100));

        /// <summary>"12 of 400 (limit 40: 10% (at least 5))".</summary>
        public string Describe(int deletes, int existing) => Msg.Get("DeletesOfExisting", deletes, existing, Of(existing), _text);

        /// <summary>The error for <paramref name="deletes"/> of <paramref name="existing"/> <paramref name="noun"/>s over the limit, or null.</summary>
        public WeComException? Check(int deletes, int existing, string noun) =>
            deletes <= Of(existing) ? null : WeComException.InvalidInput(
                "DeleteLimitExceeded",
                Msg.Get("DeleteLimitExceeded", Describe(deletes, existing), noun, deletes));

        public override string ToString() => _text;
    }
}
