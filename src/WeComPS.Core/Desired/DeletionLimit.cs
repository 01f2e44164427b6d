using System;
using System.Globalization;
using System.Linq;

namespace WeComPS
{
    /// <summary>
    /// How many deletions a change may make: a count ("50"), a share of the members there are now ("10%"), or both
    /// bounds. Exceeding it refuses the whole change before anything is sent.
    /// </summary>
    public sealed class DeletionLimit
    {
        public DeletionLimit(int? maxCount, double? maxPercent)
        {
            MaxCount = maxCount;
            MaxPercent = maxPercent;
        }

        /// <summary>The limit when none is given: 50 deletions.</summary>
        public static DeletionLimit Default { get; } = new DeletionLimit(50, null);

        public int? MaxCount { get; }
        /// <summary>Percent (0 to 100) of the members there are now.</summary>
        public double? MaxPercent { get; }

        /// <summary>"50" or "10%"; throws InvalidDeletionLimit for anything else.</summary>
        public static DeletionLimit Parse(string text)
        {
            var t = text.Trim();
            var percent = t.EndsWith("%", StringComparison.Ordinal);
            var number = percent ? t.Substring(0, t.Length - 1).Trim() : t;
            if (percent && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p >= 0 && p <= 100)
            {
                return new DeletionLimit(null, p);
            }

            if (!percent && int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0)
            {
                return new DeletionLimit(n, null);
            }

            throw WeComException.InvalidInput("InvalidDeletionLimit", $"'{text}' is not a deletion limit: give a count such as 50 or a percentage such as 10%.");
        }

        /// <summary>Why deleting <paramref name="deletes"/> of <paramref name="existing"/> is refused, or null.</summary>
        public WeComException? Check(int deletes, int existing, string noun)
        {
            var overCount = MaxCount is { } count && deletes > count;
            var overPercent = MaxPercent is { } percent && existing > 0 && deletes * 100.0 / existing > percent;
            return overCount || overPercent
                ? WeComException.InvalidInput(
                    "DeletionLimitExceeded",
                    $"The change deletes {deletes} of {existing} {noun}s, more than the limit of {this}: nothing was sent. Check the input, or raise the limit with -MaxDelete.")
                : null;
        }

        public override string ToString() =>
            string.Join(" and ", new[] { MaxCount?.ToString(CultureInfo.InvariantCulture), MaxPercent is { } p ? p.ToString(CultureInfo.InvariantCulture) + "%" : null }.Where(s => s != null));
    }
}
