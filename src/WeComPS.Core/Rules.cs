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

        /// <summary>A broken rule: <paramref name="errorId"/> and the message <paramref name="key"/> says, in the admin's language.</summary>
        public static Violation Fail(string errorId, string key, params object?[] args) => new Violation(errorId, Msg.Get(key, args));

        public static Violation? UserId(string? value) =>
            IsUserId(value) ? null : Fail("InvalidUserId", "InvalidUserId", value);

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

        /// <summary>A member's name (<c>InvalidUserName</c>), else the name checked under <paramref name="errorId"/>.</summary>
        public static Violation? Name(string? value, int maxLength = MaxNameLength, string errorId = "InvalidUserName") =>
            string.IsNullOrWhiteSpace(value) || value!.Length > maxLength ? Fail(errorId, "NameLength", value, maxLength)
            : value.Any(char.IsControl) ? Fail(errorId, "NameControl", Escape(value))
            : null;

        /// <summary>The text with control characters shown as \uXXXX, for a message.</summary>
        private static string Escape(string value) =>
            string.Concat(value.Select(c => char.IsControl(c) ? "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString()));

        public static Violation? DepartmentName(string? value) =>
            Name(value, errorId: "InvalidDepartmentName") ?? (value!.IndexOfAny(DepartmentNameForbidden) >= 0 ? Fail("InvalidDepartmentName", "DepartmentNameForbidden", value) : null);

        public static Violation? Mobile(string? value) =>
            value is null || Patterns.Mobile.IsMatch(value) ? null : Fail("InvalidMobile", "InvalidMobile", value);

        /// <summary>An email (<c>InvalidEmail</c>) or, with <paramref name="errorId"/> InvalidBizMail, a corporate mailbox: 6 to 64 bytes.</summary>
        public static Violation? Email(string? value, string errorId = "InvalidEmail") =>
            value is null || (value.Length >= 6 && System.Text.Encoding.UTF8.GetByteCount(value) <= 64 && Patterns.Email.IsMatch(value)) ? null : Fail(errorId, "InvalidEmail", value);

        public static Violation? Order(long value) =>
            value >= 0 && value <= MaxOrder ? null : Fail("InvalidOrder", "InvalidOrder", value, MaxOrder);

        public static Violation? DepartmentId(int value) => value >= 1 ? null : Fail("InvalidDepartmentId", "InvalidDepartmentId", value);

        public static Violation? TagName(string? value) => Name(value, MaxTagNameLength, "InvalidTagName");

        public static Violation? TagId(int value) => value >= 0 ? null : Fail("InvalidTagId", "InvalidTagId", value);

        /// <summary>The error for an id that <paramref name="check"/> refuses, named "<paramref name="noun"/> id" (Department or Tag); null when it passes.</summary>
        public static WeComException? IdError(string noun, int id, System.Func<int, Violation?> check) =>
            check(id) is { } reason ? WeComException.InvalidInput(reason.ErrorId, Msg.Get("IdItem", Msg.Get(noun), id, reason)) : null;

        /// <summary>The first reason among <paramref name="checks"/>, or null when all pass.</summary>
        public static Violation? First(params Violation?[] checks) => checks.FirstOrDefault(c => c != null);

        /// <summary>The patterns that are Regexes, built when a mobile or an email is first checked rather than when any rule is.</summary>
        private static class Patterns
        {
            /// <summary>WeCom's forms (user/create <c>mobile</c>, e.g. "+86 13800000000"): digits, or +country code and the number.</summary>
            public static readonly Regex Mobile = new Regex(@"\A(\+\d{1,4}[ -]?)?\d{5,20}\z", RegexOptions.CultureInvariant);
            public static readonly Regex Email = new Regex(@"\A[^@\s]+@[^@\s]+\.[^@\s]+\z", RegexOptions.CultureInvariant);
        }

        /// <summary>The first reason among the checks of every value.</summary>
        public static Violation? Each<T>(IEnumerable<T>? values, System.Func<T, Violation?> check) =>
            values?.Select(check).FirstOrDefault(c => c != null);
    }

    /// <summary>A value WeCom would refuse: its stable error id and the rule it breaks, in the admin's language.</summary>
    internal sealed class Violation
    {
        public Violation(string errorId, string reason)
        {
            ErrorId = errorId;
            Reason = reason;
        }

        public string ErrorId { get; }
        public string Reason { get; }

        public override string ToString() => Reason;

        /// <summary>The error naming the item, e.g. <paramref name="itemKey"/> UserItem: "User 'LiSi': reason."</summary>
        public WeComException About(string itemKey, object? item) => WeComException.InvalidItem(ErrorId, Msg.Get(itemKey, item, Reason));
    }
}
