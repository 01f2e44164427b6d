using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace WeComPS
{
    /// <summary>
    /// WeCom's import templates as UTF-8 CSV (RFC 4180: fields with a comma, a quote or a line break are quoted,
    /// quotes doubled, lines end with CRLF; no byte-order mark).
    /// <para>Members (batch/syncuser, batch/replaceuser), the columns of WeCom's template in its order:
    /// 姓名, 帐号, 手机号, 邮箱, 所在部门, 职位, 性别, 是否部门内领导, 排序, 别名, 地址, 座机, 禁用, then one column per
    /// extended attribute (扩展属性) by its name. 帐号 (the userid) is always written; any other column only when at
    /// least one member gives it a value, because WeCom leaves a field alone when its column is absent (D/91130). What
    /// a blank cell does WeCom does not say: WeComPS assumes it may clear the field, so the plan gives an existing
    /// member its current value for such a cell (<see cref="Fill"/>) and only new members get blank cells. Lists
    /// (所在部门, 是否部门内领导, 排序) are separated by ';'; 性别 is 男 or 女; 是否部门内领导 is 1 or 0 per department;
    /// 禁用 is 1 (disabled) or 0 (enabled).</para>
    /// <para>Departments (batch/replaceparty): 部门名称, 部门ID, 父部门ID, 排序, parents before children; a blank 排序
    /// leaves the order as it is.</para>
    /// </summary>
    internal static class WeComImportTemplate
    {
        private static readonly (string Header, Func<WeComUserChange, string?> Value)[] UserFields =
        {
            ("姓名", u => u.Name),
            ("帐号", u => u.UserId),
            ("手机号", u => u.Mobile),
            ("邮箱", u => u.Email),
            ("所在部门", u => List(u.Department)),
            ("职位", u => u.Position),
            ("性别", u => u.Gender switch { WeComGender.Male => "男", WeComGender.Female => "女", _ => null }),
            ("是否部门内领导", u => List(u.IsLeaderInDept?.Select(l => l ? 1 : 0))),
            ("排序", u => List(u.Order)),
            ("别名", u => u.Alias),
            ("地址", u => u.Address),
            ("座机", u => u.Telephone),
            ("禁用", u => u.Enable is { } enable ? (enable ? "0" : "1") : null),
        };

        /// <summary>The member template's columns, in WeCom's order.</summary>
        public static IReadOnlyList<string> UserColumns { get; } = UserFields.Select(f => f.Header).ToArray();

        /// <summary>The department template's columns, in WeCom's order.</summary>
        public static IReadOnlyList<string> DepartmentColumns { get; } = new[] { "部门名称", "部门ID", "父部门ID", "排序" };

        /// <summary>The member CSV for <paramref name="users"/>, in their order.</summary>
        public static string WriteUsers(IReadOnlyCollection<WeComUserChange> users)
        {
            var (fields, attributes) = UserColumnsOf(users);
            var text = new StringBuilder();
            WriteRow(text, fields.Select(f => f.Header).Concat(attributes));
            foreach (var user in users)
            {
                WriteRow(text, fields.Select(f => f.Value(user)).Concat(attributes.Select(a => user.ExtAttr != null && user.ExtAttr.TryGetValue(a, out var v) ? v : null)));
            }

            return text.ToString();
        }

        /// <summary>The department CSV for <paramref name="departments"/>, parents before their children.</summary>
        public static string WriteDepartments(IReadOnlyCollection<WeComDepartmentChange> departments)
        {
            var text = new StringBuilder();
            WriteRow(text, DepartmentColumns);
            foreach (var d in ParentsFirst(departments))
            {
                WriteRow(text, new[] { d.Name, Number(d.Id), Number(d.ParentId), d.Order?.ToString(CultureInfo.InvariantCulture) });
            }

            return text.ToString();
        }

        /// <summary>
        /// For each of <paramref name="rows"/>, the columns their CSV writes (帐号 aside) that the row gives no value for:
        /// its blank cells. The columns are found once, so asking for every row costs one pass over them each.
        /// </summary>
        internal static Func<WeComUserChange, IReadOnlyList<string>> BlankCellsOf(IReadOnlyCollection<WeComUserChange> rows)
        {
            var (fields, attributes) = UserColumnsOf(rows);
            return user => fields.Where(f => f.Header != "帐号" && f.Value(user) is null).Select(f => f.Header)
                .Concat(attributes.Where(a => user.ExtAttr is null || !user.ExtAttr.ContainsKey(a)))
                .ToList();
        }

        /// <summary>The columns the member CSV for <paramref name="users"/> writes: 帐号 and each field some row gives, then each extended attribute some row gives.</summary>
        private static (List<(string Header, Func<WeComUserChange, string?> Value)> Fields, List<string> Attributes) UserColumnsOf(IReadOnlyCollection<WeComUserChange> users) =>
            (UserFields.Where(f => f.Header == "帐号" || users.Any(u => f.Value(u) != null)).ToList(),
             users.SelectMany(u => u.ExtAttr?.Keys ?? Enumerable.Empty<string>()).Distinct(StringComparer.Ordinal).ToList());

        /// <summary>
        /// A copy of <paramref name="user"/> with the member's current value (from <paramref name="now"/>, as user/get
        /// shows it) in each of <paramref name="columns"/>; null, with the first column read as absent in
        /// <paramref name="missing"/>, when one cannot be filled.
        /// </summary>
        internal static WeComUserChange? Fill(WeComUserChange user, WeComUser now, IReadOnlyList<string> columns, out string? missing)
        {
            var copy = user.Copy();
            foreach (var column in columns)
            {
                bool known;
                switch (column)
                {
                    case "姓名": known = (copy.Name = now.Name) != null; break;
                    case "手机号": known = (copy.Mobile = now.Mobile) != null; break;
                    case "邮箱": known = (copy.Email = now.Email) != null; break;
                    case "所在部门": known = (copy.Department = now.Department?.ToArray()) != null; break;
                    case "职位": known = (copy.Position = now.Position) != null; break;
                    case "性别": known = (copy.Gender = now.Gender) != null; break;
                    case "是否部门内领导": known = (copy.IsLeaderInDept = Realign(now.IsLeaderInDept?.ToArray(), now.Department?.ToArray(), copy.Department ?? now.Department?.ToArray())) != null; break;
                    case "排序": known = (copy.Order = Realign(now.Order?.ToArray(), now.Department?.ToArray(), copy.Department ?? now.Department?.ToArray())) != null; break;
                    case "别名": known = (copy.Alias = now.Alias) != null; break;
                    case "地址": known = (copy.Address = now.Address) != null; break;
                    case "座机": known = (copy.Telephone = now.Telephone) != null; break;
                    case "禁用": known = (copy.Enable = now.Status is { } status ? status != WeComUserStatus.Disabled : (bool?)null) != null; break;
                    default:
                        known = now.ExtAttr != null && now.ExtAttr.TryGetValue(column, out var value) && value != null;
                        if (known)
                        {
                            copy.ExtAttr![column] = now.ExtAttr![column]!;
                        }

                        break;
                }

                if (!known)
                {
                    missing = column;
                    return null;
                }
            }

            missing = null;
            return copy;
        }

        /// <summary>Per-department values for <paramref name="departments"/>: those of the departments kept, the default for new ones.</summary>
        private static T[]? Realign<T>(T[]? values, int[]? was, int[]? departments) =>
            values is null || was is null || departments is null || values.Length != was.Length
                ? null
                : departments.Select(d => Array.IndexOf(was, d) is var i && i >= 0 ? values[i] : default!).ToArray();

        /// <summary>Why a member cannot go into an import, or null: the fields the template has no column for.</summary>
        public static WeComException? CheckUser(WeComUserChange user)
        {
            var unsupported = new (string Name, bool Set)[]
            {
                (nameof(user.NewUserId), user.NewUserId != null),
                (nameof(user.BizMail), user.BizMail != null),
                (nameof(user.MainDepartment), user.MainDepartment != null),
                (nameof(user.DirectLeader), user.DirectLeader != null),
                (nameof(user.ExternalPosition), user.ExternalPosition != null),
                (nameof(user.ExternalCorpName), user.ExternalCorpName != null),
                (nameof(user.ExternalAttr), user.ExternalAttr != null),
            }.Where(f => f.Set).Select(f => f.Name).ToList();
            var clash = user.ExtAttr?.Keys.FirstOrDefault(k => UserColumns.Contains(k));
            var reason = Rules.First(
                unsupported.Count > 0 ? Rules.Fail("NotInImportTemplate", "NotInImportTemplate", string.Join(", ", unsupported)) : null,
                clash != null ? Rules.Fail("InvalidExtAttr", "ExtAttrIsColumn", clash) : null);
            return reason?.About("UserItem", user.UserId);
        }

        /// <summary>Why a department cannot go into a replace, or null: it needs an id, a name and a parent (0 only for the root).</summary>
        public static WeComException? CheckDepartment(WeComDepartmentChange department)
        {
            var reason = Rules.First(
                department.Id is null ? Rules.Fail("DepartmentIdMissing", "ImportDepartmentIdMissing") : Rules.DepartmentId(department.Id.Value),
                Rules.DepartmentName(department.Name),
                department.ParentId is null ? Rules.Fail("ParentDepartmentMissing", "ImportParentIdMissing") : null,
                department.ParentId is { } parent && parent < (department.Id == 1 ? 0 : 1) ? Rules.Fail("InvalidParentDepartment", "InvalidParentDepartment", parent) : null,
                department.ParentId != null && department.ParentId == department.Id ? Rules.Fail("DepartmentCycle", "OwnParent") : null,
                department.Order is { } order ? Rules.Order(order) : null);
            return reason?.About("DepartmentItem", department);
        }

        /// <summary>Departments ordered so that each comes after its parent when the parent is among them too.</summary>
        internal static IEnumerable<WeComDepartmentChange> ParentsFirst(IReadOnlyCollection<WeComDepartmentChange> departments)
        {
            var parents = departments.Where(d => d.Id != null).GroupBy(d => d.Id!.Value).ToDictionary(g => g.Key, g => g.First().ParentId);
            int Depth(WeComDepartmentChange d)
            {
                var depth = 0;
                for (var parent = d.ParentId; parent is { } p && parents.TryGetValue(p, out var next) && depth <= parents.Count; parent = next)
                {
                    depth++;
                }

                return depth;
            }

            return departments.Select((d, i) => (d, i, Depth(d))).OrderBy(x => x.Item3).ThenBy(x => x.i).Select(x => x.d);
        }

        private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

        private static string? List<T>(IEnumerable<T>? values) =>
            values is null ? null : string.Join(";", values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));

        private static void WriteRow(StringBuilder text, IEnumerable<string?> fields)
        {
            text.Append(string.Join(",", fields.Select(Quote))).Append("\r\n");
        }

        /// <summary>A CSV field per RFC 4180.</summary>
        internal static string Quote(string? field) =>
            field is null ? ""
            : field.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\""
            : field;
    }
}
