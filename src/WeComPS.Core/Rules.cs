using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace WeComPS
{
    /// <summary>
    /// WeCom's documented limits on what may be sent, checked before any request so a bad item is reported with a
    /// clear reason instead of an errcode. Each check answers null when the value is acceptable, else the reason.
    /// </summary>
    internal static class Rules
    {
        public const int MaxNameLength = 64;
        public const int MaxTagNameLength = 32;
        public const int MaxDepartmentsPerUser = 100;
        public const long MaxOrder = uint.MaxValue;

        private static readonly char[] DepartmentNameForbidden = { '\\', ':', '*', '?', '"', '<', '>', '|' };

        public static string? UserId(string? value) =>
            IsUserId(value)
                ? null
                : $"'{value}' is not a valid userid: 1 to 64 characters of letters, digits and _ - @ ., starting with a letter or digit";

        /// <summary>1 to 64 ASCII letters, digits and _ @ . -, the first a letter or digit. By hand, not a Regex: every read checks its ids, and building a Regex costs start-up time.</summary>
        private static bool IsUserId(string? value)
        {
            if (value is null || value.Length == 0 || value.Length > 64 || !IsAsciiLetterOrDigit(value[0]))
            {
                return false;
            }

            foreach (var c in value)
            {
                if (!IsAsciiLetterOrDigit(c) && c != '_' && c != '@' && c != '.' && c != '-')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsAsciiLetterOrDigit(char c) => (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

        public static string? Name(string? value, int maxLength = MaxNameLength) =>
            string.IsNullOrWhiteSpace(value) || value!.Length > maxLength ? $"the name '{value}' must be 1 to {maxLength} characters"
            : value.Any(char.IsControl) ? $"the name '{Escape(value)}' has a control character (a line break, tab or similar)"
            : null;

        /// <summary>The text with control characters shown as \uXXXX, for a message.</summary>
        private static string Escape(string value) =>
            string.Concat(value.Select(c => char.IsControl(c) ? "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString()));

        public static string? DepartmentName(string? value) =>
            Name(value) ?? (value!.IndexOfAny(DepartmentNameForbidden) >= 0 ? $"the name '{value}' must not contain any of \\ : * ? \" < > |" : null);

        public static string? Mobile(string? value) =>
            value is null || Patterns.Mobile.IsMatch(value) ? null : $"'{value}' is not a mobile number (digits, optionally after a country code such as '+86 ')";

        public static string? Email(string? value) =>
            value is null || (value.Length <= 64 && Patterns.Email.IsMatch(value)) ? null : $"'{value}' is not an email address of at most 64 characters";

        public static string? Order(long value) =>
            value >= 0 && value <= MaxOrder ? null : $"the order {value} is outside 0 to {MaxOrder}";

        public static string? DepartmentId(int value) => value >= 1 ? null : $"{value} is not a department id";

        public static string? TagName(string? value) => Name(value, MaxTagNameLength);

        public static string? TagId(int value) => value >= 0 ? null : $"{value} is not a tag id";

        /// <summary>The error for an id that <paramref name="check"/> refuses, named "<paramref name="noun"/> id"; null when it passes.</summary>
        public static WeComException? IdError(string noun, int id, System.Func<int, string?> check) =>
            check(id) is { } reason ? WeComException.InvalidInput($"Invalid{noun}Input", $"{noun} {id}: {reason}.") : null;

        /// <summary>The first reason among <paramref name="checks"/>, or null when all pass.</summary>
        public static string? First(params string?[] checks) => checks.FirstOrDefault(c => c != null);

        /// <summary>The patterns that are Regexes, built when a mobile or an email is first checked rather than when any rule is.</summary>
        private static class Patterns
        {
            public static readonly Regex Mobile = new Regex(@"\A(\+\d{1,4}[ -])?\d{5,20}\z", RegexOptions.CultureInvariant);
            public static readonly Regex Email = new Regex(@"\A[^@\s]+@[^@\s]+\.[^@\s]+\z", RegexOptions.CultureInvariant);
        }

        /// <summary>The first reason among the checks of every value.</summary>
        public static string? Each<T>(IEnumerable<T>? values, System.Func<T, string?> check) =>
            values?.Select(check).FirstOrDefault(c => c != null);
    }
}
