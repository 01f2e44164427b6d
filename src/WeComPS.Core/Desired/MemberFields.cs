using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WeComPS
{
    /// <summary>
    /// The member fields a plan compares, each in one text form for WeCom's value and the desired one: departments as
    /// full paths ("/广州研发中心/测试部;/广州研发中心/邮箱产品部"), orders and leader flags per department
    /// ("/广州研发中心/测试部=10"), Gender as Male or Female, Enable as true or false, DirectLeader as userids
    /// ("ZhangSan"), each extended attribute as its own field "ExtAttr.工号" (a text's value, a web page's url, as
    /// WeCom returns them). A blank text is an empty field; null is a field WeCom did not return.
    /// </summary>
    internal static class MemberFields
    {
        public static readonly string[] All =
        {
            "Name", "Alias", "Position", "Mobile", "Email", "BizMail", "Telephone", "Gender", "Address", "ExternalPosition", "Enable",
            "Department", "Order", "IsLeaderInDept", "MainDepartment", "DirectLeader",
        };

        /// <summary>The prefix of an extended attribute's field: "ExtAttr.工号". A column "ExtAttr" holds several as "工号=A001;爱好=跑步".</summary>
        public const string ExtAttrPrefix = "ExtAttr.";

        /// <summary>The fields as messages name them.</summary>
        public static readonly string[] Names = All.Concat(new[] { ExtAttrPrefix + "<name>" }).ToArray();

        private static readonly char[] Separators = { ';', ',', '|' };
        private static readonly string[] Texts = { "Name", "Alias", "Position", "Mobile", "Email", "BizMail", "Telephone", "Address", "ExternalPosition" };

        /// <summary>The field a column names (case-insensitive; DepartmentId is Department), or null.</summary>
        public static string? Canonical(string column) =>
            string.Equals(column, "DepartmentId", StringComparison.OrdinalIgnoreCase) ? "Department"
            : string.Equals(column, "ExtAttr", StringComparison.OrdinalIgnoreCase) ? "ExtAttr"
            : AttributeName(column) is { } name ? ExtAttrPrefix + name
            : All.FirstOrDefault(f => string.Equals(f, column, StringComparison.OrdinalIgnoreCase));

        /// <summary>The attribute an "ExtAttr.name" field names, or null.</summary>
        public static string? AttributeName(string field) =>
            field.StartsWith(ExtAttrPrefix, StringComparison.OrdinalIgnoreCase) && field.Length > ExtAttrPrefix.Length ? field.Substring(ExtAttrPrefix.Length).Trim() : null;

        /// <summary>The order fields are compared and listed in: <see cref="All"/>, then the extended attributes by name.</summary>
        public static IEnumerable<string> Ordered(IEnumerable<string> fields)
        {
            var set = new HashSet<string>(fields, StringComparer.OrdinalIgnoreCase);
            return All.Where(set.Contains).Concat(set.Where(f => AttributeName(f) != null).OrderBy(f => f, StringComparer.Ordinal));
        }

        /// <summary>
        /// Whether WeCom may keep the member's own value of <paramref name="field"/> without saying so, in a way the
        /// record does not show beforehand: a corp bound to Tencent Exmail (腾讯企业邮) changes emails there, and
        /// user/update ignores a new one. Such a change is read back before it is reported as applied.
        /// </summary>
        public static bool MayBeKept(string field) => string.Equals(field, "Email", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Whether WeCom keeps the member's own value of <paramref name="field"/> whatever user/update sends: a new mobile
        /// is ignored once the member has activated WeCom (status Active; Disabled cannot show whether they had, and
        /// most disabled members had).
        /// </summary>
        public static bool KeptByMember(string field, WeComUser now) =>
            string.Equals(field, "Mobile", StringComparison.OrdinalIgnoreCase) && now.Status is { } status && status != WeComUserStatus.NotActivated;

        /// <summary>The field as WeCom has it for <paramref name="user"/>; null when WeCom did not return it.</summary>
        public static string? Current(WeComUser user, string field, Func<int, string> label) => field switch
        {
            "Name" => user.Name,
            "Alias" => user.Alias,
            "Position" => user.Position,
            "Mobile" => user.Mobile,
            "Email" => user.Email,
            "BizMail" => user.BizMail,
            "Telephone" => user.Telephone,
            "Address" => user.Address,
            "ExternalPosition" => user.ExternalPosition,
            "Gender" => user.Gender?.ToString(),
            "Enable" => user.Status is { } status ? (status != WeComUserStatus.Disabled ? "true" : "false") : null,
            "Department" => user.Department is { } d ? string.Join(";", d.Select(label)) : null,
            "Order" => user.Department is { } d && user.Order is { } o && o.Count == d.Count ? Pairs(d.Select(label), o.Select(v => v.ToString(CultureInfo.InvariantCulture))) : null,
            "IsLeaderInDept" => user.Department is { } d && user.IsLeaderInDept is { } l && l.Count == d.Count ? Pairs(d.Select(label), l.Select(Flag)) : null,
            "MainDepartment" => user.MainDepartment is { } m ? label(m) : null,
            "DirectLeader" => user.DirectLeader is { } leaders ? string.Join(";", leaders) : null,
            _ when AttributeName(field) is { } name => user.ExtAttr is { } attrs ? (attrs.TryGetValue(name, out var value) ? value ?? "" : "") : null,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a member field"),
        };

        /// <summary>Whether two texts of <paramref name="field"/> are the same value: lists in any order, emails in any letter case.</summary>
        public static bool Same(string field, string? a, string? b) => Key(field, a) == Key(field, b);

        private static string? Key(string field, string? text) => text is null ? null : field switch
        {
            "Department" or "Order" or "IsLeaderInDept" or "DirectLeader" => string.Join(";", Split(text).Select(i => i.ToUpperInvariant()).OrderBy(i => i, StringComparer.Ordinal)),
            "Email" or "BizMail" => text.ToUpperInvariant(),
            _ => text,
        };

        /// <summary>
        /// The desired text of each field a row owns, in the forms above. Departments are resolved by
        /// <paramref name="paths"/>; orders and leader flags align with the row's departments, else the member's.
        /// Throws the rule's error (InvalidMobile, InvalidGender...) naming the member for a value WeCom would refuse.
        /// </summary>
        public static Dictionary<string, string> Desired(string userId, IReadOnlyDictionary<string, string?> row, WeComUser? now, DepartmentPaths paths)
        {
            var wanted = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string Fail(Violation reason) => throw reason.About("UserItem", userId);
            List<string>? departments = null;
            if (row.TryGetValue("Department", out var d) && d != null)
            {
                departments = Split(d).Select(paths.Resolve).Select(paths.Label).ToList();
                if (departments.Count == 0)
                {
                    Fail(Rules.Fail("DepartmentMissing", "DepartmentMissing"));
                }

                wanted["Department"] = string.Join(";", departments);
            }

            var aligned = departments ?? now?.Department?.Select(paths.Label).ToList();
            foreach (var pair in row.Where(p => p.Value != null))
            {
                var value = pair.Value!.Trim();
                switch (pair.Key)
                {
                    case "Department":
                        break;
                    case "Name":
                        wanted[pair.Key] = Rules.Name(value) is { } bad ? Fail(bad) : value;
                        break;
                    case "Gender":
                        wanted[pair.Key] = ParseGender(value) ?? Fail(Rules.Fail("InvalidGender", "InvalidGender", value));
                        break;
                    case "Enable":
                        wanted[pair.Key] = ParseFlag(value) ?? Fail(Rules.Fail("InvalidEnable", "InvalidFlag", "Enable", value));
                        break;
                    case "Order":
                    case "IsLeaderInDept":
                        var items = Split(value);
                        if (aligned is null || items.Count != aligned.Count)
                        {
                            Fail(Rules.Fail(pair.Key == "Order" ? "OrderCountMismatch" : "LeaderFlagsMismatch", pair.Key == "Order" ? "OrderCountMismatch" : "LeaderFlagsMismatch", items.Count, aligned?.Count ?? 0));
                        }

                        wanted[pair.Key] = Pairs(aligned!, items.Select(i => pair.Key == "Order"
                            ? (long.TryParse(i, NumberStyles.Integer, CultureInfo.InvariantCulture, out var o) && Rules.Order(o) is null ? o.ToString(CultureInfo.InvariantCulture) : Fail(Rules.Fail("InvalidOrder", "InvalidOrderText", i)))
                            : ParseFlag(i) ?? Fail(Rules.Fail("InvalidLeaderFlag", "InvalidFlag", "IsLeaderInDept", i))));
                        break;
                    case "DirectLeader":
                        var leaders = Split(value);
                        wanted[pair.Key] = Rules.First(
                            leaders.Count > 1 ? Rules.Fail("TooManyDirectLeaders", "OneDirectLeader", leaders.Count) : null,
                            Rules.Each(leaders, Rules.UserId),
                            leaders.Any(l => string.Equals(l, userId, StringComparison.OrdinalIgnoreCase)) ? Rules.Fail("InvalidDirectLeader", "OwnDirectLeader") : null) is { } badLeader
                            ? Fail(badLeader) : string.Join(";", leaders);
                        break;
                    case "ExtAttr":
                        foreach (var attribute in Split(value))
                        {
                            var at = attribute.IndexOf('=');
                            var attributeName = at > 0 ? attribute.Substring(0, at).Trim() : Fail(Rules.Fail("InvalidExtAttr", "ExtAttrNotNameValue", attribute));
                            if (!row.ContainsKey(ExtAttrPrefix + attributeName))
                            {
                                wanted[ExtAttrPrefix + attributeName] = attribute.Substring(at + 1).Trim();
                            }
                        }

                        break;
                    case "MainDepartment":
                        var main = paths.Label(paths.Resolve(value));
                        wanted[pair.Key] = aligned is null || aligned.Contains(main, StringComparer.OrdinalIgnoreCase) ? main : Fail(Rules.Fail("InvalidMainDepartment", "InvalidMainDepartment", main));
                        break;
                    default:
                        wanted[pair.Key] = value;
                        break;
                }
            }

            var reason = Rules.First(
                Get(wanted, "Mobile") is { Length: > 0 } mobile ? Rules.Mobile(mobile) : null,
                Get(wanted, "Email") is { Length: > 0 } email ? Rules.Email(email) : null,
                Get(wanted, "BizMail") is { Length: > 0 } biz ? Rules.Email(biz, "InvalidBizMail") : null,
                departments != null && departments.Count > Rules.MaxDepartmentsPerUser ? Rules.Fail("TooManyDepartments", "TooManyDepartments", departments.Count, Rules.MaxDepartmentsPerUser) : null,
                now is null && Get(wanted, "Name") is null ? Rules.Fail("UserNameMissing", "UserNameMissing") : null,
                now is null && string.IsNullOrEmpty(Get(wanted, "Mobile")) && string.IsNullOrEmpty(Get(wanted, "Email")) ? Rules.Fail("MobileAndEmailMissing", "MobileAndEmailMissing") : null);
            if (reason != null)
            {
                Fail(reason);
            }

            return wanted;
        }

        /// <summary>
        /// The user/create or user/update that makes a member's fields the plan's new values: blank text fields are
        /// cleared, paths resolved with <paramref name="resolve"/>. A department list that changes keeps the orders and
        /// leader flags <paramref name="now"/> has for the departments it keeps, unless the plan sets them too.
        /// </summary>
        public static WeComUserChange ToChange(string userId, IEnumerable<WeComFieldChange> changes, Func<string, int> resolve, WeComUser? now)
        {
            var change = new WeComUserChange { UserId = userId };
            var clear = new List<string>();
            var values = changes.Where(c => c.New != null).ToDictionary(c => Canonical(c.Field) ?? c.Field, c => c.New!, StringComparer.OrdinalIgnoreCase);
            foreach (var field in Texts.Where(values.ContainsKey))
            {
                var value = values[field];
                if (value.Length == 0 && field != "Name")
                {
                    clear.Add(field);
                    continue;
                }

                typeof(WeComUserChange).GetProperty(field)!.SetValue(change, value);
            }

            change.Clear = clear.Count == 0 ? null : clear;
            change.Gender = values.TryGetValue("Gender", out var g) ? (WeComGender?)Enum.Parse(typeof(WeComGender), g, ignoreCase: true) : null;
            change.Enable = values.TryGetValue("Enable", out var e) ? ParseFlag(e) == "true" : (bool?)null;
            change.Department = values.TryGetValue("Department", out var d) ? Split(d).Select(resolve).ToArray() : null;
            change.MainDepartment = values.TryGetValue("MainDepartment", out var m) ? resolve(m) : (int?)null;
            change.DirectLeader = values.TryGetValue("DirectLeader", out var leader) ? Split(leader).ToArray() : null;
            var attributes = values.Where(v => AttributeName(v.Key) != null).ToDictionary(v => AttributeName(v.Key)!, v => v.Value, StringComparer.Ordinal);
            change.ExtAttr = attributes.Count == 0 ? null : attributes;
            var departments = change.Department ?? now?.Department?.ToArray();
            if (departments != null)
            {
                long? OrderNow(int id) => now?.Order is { } o && now.Department!.IndexOf(id) is var i && i >= 0 && i < o.Count ? o[i] : (long?)null;
                bool? LeaderNow(int id) => now?.IsLeaderInDept is { } l && now.Department!.IndexOf(id) is var i && i >= 0 && i < l.Count ? l[i] : (bool?)null;
                var orders = values.TryGetValue("Order", out var o) ? ReadPairs(o, resolve) : null;
                var leaders = values.TryGetValue("IsLeaderInDept", out var l) ? ReadPairs(l, resolve) : null;
                if (orders != null || (change.Department != null && now?.Order != null))
                {
                    change.Order = departments.Select(id => orders != null && orders.TryGetValue(id, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : OrderNow(id) ?? 0).ToArray();
                }

                if (leaders != null || (change.Department != null && now?.IsLeaderInDept != null))
                {
                    change.IsLeaderInDept = departments.Select(id => leaders != null && leaders.TryGetValue(id, out var v) ? v == "true" : LeaderNow(id) ?? false).ToArray();
                }
            }

            return change;
        }

        public static List<string> Split(string text) => text.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Select(i => i.Trim()).Where(i => i.Length > 0).ToList();

        private static Dictionary<int, string> ReadPairs(string text, Func<string, int> resolve) =>
            Split(text).Select(p => (Key: p.Substring(0, Math.Max(0, p.LastIndexOf('='))), Value: p.Substring(p.LastIndexOf('=') + 1)))
                .GroupBy(p => resolve(p.Key)).ToDictionary(g => g.Key, g => g.Last().Value);

        private static string Pairs(IEnumerable<string> departments, IEnumerable<string> values) => string.Join(";", departments.Zip(values, (d, v) => d + "=" + v));

        private static string Flag(bool value) => value ? "true" : "false";

        private static string? Get(Dictionary<string, string> values, string field) => values.TryGetValue(field, out var v) ? v : null;

        private static string? ParseFlag(string text) => text.Trim().ToLowerInvariant() switch
        {
            "1" or "true" or "yes" or "y" or "是" => "true",
            "0" or "false" or "no" or "n" or "否" => "false",
            _ => null,
        };

        private static string? ParseGender(string text) => text.Trim().ToLowerInvariant() switch
        {
            "1" or "male" or "男" => nameof(WeComGender.Male),
            "2" or "female" or "女" => nameof(WeComGender.Female),
            _ => null,
        };
    }
}
