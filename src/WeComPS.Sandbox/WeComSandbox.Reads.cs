using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace WeComPS.Sandbox
{
    // The read side of the contacts API: departments, members, tags.
    public sealed partial class WeComSandbox
    {
        private Dictionary<string, Func<Call, JsonObject>> ReadRoutes() => new Dictionary<string, Func<Call, JsonObject>>(StringComparer.Ordinal)
        {
            ["department/list"] = c => new JsonObject { ["department"] = Array(VisibleSubtree(c).Select(d => DepartmentJson(d, full: true))) },
            ["department/simplelist"] = c => new JsonObject { ["department_id"] = Array(VisibleSubtree(c).Select(d => DepartmentJson(d, full: false))) },
            ["department/get"] = c => new JsonObject { ["department"] = DepartmentJson(VisibleDepartment(c.App, QueryInt(c, "id")), full: true) },
            ["user/get"] = c => UserJson(VisibleUser(c.App, QueryString(c, "userid")), c.App, full: true),
            ["user/list"] = c => new JsonObject { ["userlist"] = Array(DirectMembers(c).Select(u => UserJson(u, c.App, full: true))) },
            ["user/simplelist"] = c => new JsonObject { ["userlist"] = Array(DirectMembers(c).Select(u => UserJson(u, c.App, full: false))) },
            ["user/list_id"] = ListIds,
            ["tag/list"] = _ => new JsonObject { ["taglist"] = Array(_tags.Values.Select(t => new JsonObject { ["tagid"] = t.Id, ["tagname"] = t.Name })) },
            ["tag/get"] = GetTag,
        };

        /// <summary>
        /// What a contacts-sync secret may not call from an IP added to 通讯录同步 after 2022-08-15 (48009, D/90313):
        /// the reads of names and details and the exports of members and departments. department/simplelist,
        /// user/list_id, the writes, the jobs, the tags and export/taguser still work.
        /// </summary>
        private static readonly HashSet<string> DetailPaths = new HashSet<string>(StringComparer.Ordinal)
        {
            "user/get", "user/list", "user/simplelist", "department/list", "department/get",
            "export/simple_user", "export/user", "export/department",
        };

        /// <summary>Refuses a call the caller's IP may not make: 60020 for an app whose trusted IPs leave it out, 48009 as above.</summary>
        private static void Admit(SandboxApp app, string path)
        {
            if (app.CallerIpNotTrusted)
            {
                throw new ApiError(60020, "not allow to access from your ip");
            }

            if (app.IsContactsSync && app.NewIp && DetailPaths.Contains(path))
            {
                throw new ApiError(48009, "api forbidden for contact assistant");
            }
        }

        private IEnumerable<SandboxDepartment> VisibleSubtree(Call c)
        {
            var visible = ScopeOf(c.App).Departments;
            if (!c.Query.TryGetValue("id", out var raw) || raw.Length == 0)
            {
                return _departments.Values.Where(d => visible.Contains(d.Id));
            }

            var root = VisibleDepartment(c.App, QueryInt(c, "id"));
            return Subtree(root.Id).Where(d => visible.Contains(d.Id));
        }

        /// <summary>
        /// Members by department, built when first needed and dropped whenever members may have changed: by
        /// <see cref="AddUser"/>, and by every call to an API that is not a read (see <see cref="ChangedBy"/>). Code that
        /// changes members outside a call must drop it too. Without it, reading a 50,000-member corp department by
        /// department would scan every member on every call.
        /// </summary>
        private Dictionary<int, List<SandboxUser>>? _membersByDepartment;

        /// <summary>Drops what reads keep about the data after a call to <paramref name="path"/>, unless it only reads.</summary>
        private void ChangedBy(string path)
        {
            if (!_readPaths.Contains(path))
            {
                _membersByDepartment = null;
            }
        }

        private IEnumerable<SandboxUser> DirectMembers(Call c)
        {
            var department = VisibleDepartment(c.App, QueryInt(c, "department_id"));
            _membersByDepartment ??= _users.Values
                .SelectMany(u => u.Department.Distinct().Select(d => (Department: d, User: u)))
                .GroupBy(p => p.Department, p => p.User)
                .ToDictionary(g => g.Key, g => g.ToList());
            return (_membersByDepartment.TryGetValue(department.Id, out var members) ? members : new List<SandboxUser>())
                .OrderByDescending(u => u.Order.ElementAtOrDefault(u.Department.IndexOf(department.Id)))
                .ThenBy(u => u.UserId, StringComparer.Ordinal);
        }

        private JsonObject ListIds(Call c)
        {
            RequireContactsSync(c.App);
            var limit = c.Body["limit"]?.GetValue<int>() ?? 10000;
            if (limit < 1 || limit > 10000)
            {
                throw new ApiError(40058, "limit must be between 1 and 10000");
            }

            var cursor = (string?)c.Body["cursor"];
            var offset = 0;
            if (!string.IsNullOrEmpty(cursor) && !int.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)), NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                throw new ApiError(40058, "invalid cursor");
            }

            var rows = _users.Values.OrderBy(u => u.UserId, StringComparer.Ordinal)
                .SelectMany(u => u.Department.Select(d => new JsonObject { ["userid"] = u.UserId, ["department"] = d }))
                .ToList();
            var page = rows.Skip(offset).Take(limit).ToList();
            var next = offset + page.Count < rows.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture))) : "";
            return new JsonObject { ["next_cursor"] = next, ["dept_user"] = Array(page) };
        }

        private JsonObject GetTag(Call c)
        {
            var tag = ExistingTag(QueryInt(c, "tagid"));
            var visible = ScopeOf(c.App);
            var users = tag.Users.Select(id => _users.TryGetValue(id, out var u) ? u : null).OfType<SandboxUser>().Where(visible.Sees);
            return new JsonObject
            {
                ["tagname"] = tag.Name,
                ["userlist"] = Array(users.Select(u => new JsonObject { ["userid"] = u.UserId, ["name"] = u.Name })),
                ["partylist"] = Array(tag.Departments.Where(visible.Departments.Contains).Select(d => (JsonNode)d)),
            };
        }

        private SandboxTag ExistingTag(int id) =>
            _tags.TryGetValue(id, out var tag) ? tag : throw new ApiError(40068, "invalid tagid");

        /// <summary>The route, for the contacts-sync secret only (48002 for any other).</summary>
        private static Func<Call, JsonObject> ContactsSyncOnly(Func<Call, JsonObject> route) => c =>
        {
            RequireContactsSync(c.App);
            return route(c);
        };

        private static void RequireContactsSync(SandboxApp app)
        {
            if (!app.IsContactsSync)
            {
                throw new ApiError(48002, "api forbidden: only the contacts-sync secret may call this API");
            }
        }

        private SandboxDepartment VisibleDepartment(SandboxApp app, int id)
        {
            if (!_departments.TryGetValue(id, out var department))
            {
                throw new ApiError(60003, "department not found");
            }

            return ScopeOf(app).Departments.Contains(id) ? department : throw new ApiError(60011, "no privilege to access/modify contact/party/agent");
        }

        private SandboxUser VisibleUser(SandboxApp app, string userId)
        {
            if (!_users.TryGetValue(userId, out var user))
            {
                throw new ApiError(60111, "userid not found");
            }

            return ScopeOf(app).Sees(user) ? user : throw new ApiError(60011, "no privilege to access/modify contact/party/agent");
        }

        /// <summary>
        /// What <paramref name="app"/> can see (可见范围): the subtrees of its departments and of its tags' departments,
        /// and the members named one by one or through its tags.
        /// </summary>
        private Scope ScopeOf(SandboxApp app)
        {
            if (app.SeesWholeCorp)
            {
                return new Scope(new HashSet<int>(_departments.Keys), null);
            }

            var tags = (app.VisibleTags ?? new int[0]).Select(id => _tags.TryGetValue(id, out var t) ? t : null).OfType<SandboxTag>().ToList();
            var roots = (app.VisibleDepartments ?? new int[0]).Concat(tags.SelectMany(t => t.Departments));
            var users = (app.VisibleUsers ?? new string[0]).Concat(tags.SelectMany(t => t.Users));
            return new Scope(new HashSet<int>(roots.SelectMany(id => Subtree(id)).Select(d => d.Id)), new HashSet<string>(users, StringComparer.OrdinalIgnoreCase));
        }

        /// <summary>A visible scope: departments, and members seen although none of their departments is.</summary>
        private sealed class Scope
        {
            private readonly HashSet<string>? _users;

            public Scope(HashSet<int> departments, HashSet<string>? users)
            {
                Departments = departments;
                _users = users;
            }

            public HashSet<int> Departments { get; }

            public bool Sees(SandboxUser user) => _users is null || user.Department.Any(Departments.Contains) || _users.Contains(user.UserId);
        }

        private IEnumerable<SandboxDepartment> Subtree(int id)
        {
            if (!_departments.TryGetValue(id, out var root))
            {
                yield break;
            }

            var pending = new Queue<SandboxDepartment>();
            pending.Enqueue(root);
            while (pending.Count > 0)
            {
                var department = pending.Dequeue();
                yield return department;
                foreach (var child in _departments.Values.Where(d => d.ParentId == department.Id && d.Id != department.Id))
                {
                    pending.Enqueue(child);
                }
            }
        }

        private static JsonObject DepartmentJson(SandboxDepartment d, bool full)
        {
            var json = new JsonObject { ["id"] = d.Id };
            if (full)
            {
                json["name"] = d.Name;
                if (d.NameEn != null)
                {
                    json["name_en"] = d.NameEn;
                }

                json["department_leader"] = Array(d.Leaders.Select(l => (JsonNode)l));
            }

            json["parentid"] = d.ParentId;
            json["order"] = d.Order;
            return json;
        }

        private static JsonObject UserJson(SandboxUser u, SandboxApp app, bool full)
        {
            var json = new JsonObject
            {
                ["userid"] = u.UserId,
                ["name"] = u.Name,
                ["department"] = Array(u.Department.Select(d => (JsonNode)d)),
            };
            if (!full)
            {
                return json;
            }

            json["order"] = Array(u.Order.Select(o => (JsonNode)o));
            json["position"] = u.Position ?? "";
            json["is_leader_in_dept"] = Array(u.IsLeaderInDept.Select(l => (JsonNode)l));
            json["direct_leader"] = Array(u.DirectLeader.Select(l => (JsonNode)l));
            json["telephone"] = u.Telephone ?? "";
            json["alias"] = u.Alias ?? "";
            json["status"] = u.Status;
            json["main_department"] = u.MainDepartment ?? u.Department.FirstOrDefault();
            json["extattr"] = new JsonObject
            {
                ["attrs"] = Array(u.TextAttributes.Select(a => new JsonObject { ["type"] = 0, ["name"] = a.Key, ["text"] = new JsonObject { ["value"] = a.Value } })),
            };
            json["external_position"] = u.ExternalPosition ?? "";
            if (u.ExternalProfile != null)
            {
                json["external_profile"] = u.ExternalProfile.DeepClone();
            }
            if (!app.WithholdsSensitiveFields)
            {
                // Since 2022-06-20 these are simply absent for new apps.
                json["mobile"] = u.Mobile ?? "";
                json["gender"] = u.Gender.ToString(CultureInfo.InvariantCulture);
                json["email"] = u.Email ?? "";
                json["biz_mail"] = u.BizMail ?? "";
                json["avatar"] = u.Avatar ?? "";
                json["thumb_avatar"] = u.Avatar is null ? "" : u.Avatar + "?thumb=1";
                json["qr_code"] = "https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=sbx" + u.UserId;
                json["address"] = u.Address ?? "";
            }

            return json;
        }

        private static int QueryInt(Call c, string name) =>
            c.Query.TryGetValue(name, out var raw) && int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new ApiError(40058, $"invalid or missing parameter {name}");

        private static string QueryString(Call c, string name) =>
            c.Query.TryGetValue(name, out var raw) && raw.Length > 0 ? raw : throw new ApiError(40058, $"missing parameter {name}");

        private static JsonArray Array(IEnumerable<JsonNode?> items) => new JsonArray(items.ToArray());
    }
}
