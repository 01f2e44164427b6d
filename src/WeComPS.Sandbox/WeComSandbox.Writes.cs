using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WeComPS.Sandbox
{
    // The write side of the contacts API (departments, members, tags, invitations) and the member lookups, with WeCom's rules and errcodes.
    public sealed partial class WeComSandbox
    {
        private const int RootDepartmentId = 1;
        private const int MaxDepartments = 30000;
        private const int MaxDepth = 15;
        private const long OrderLimit = 1L << 32;
        private const int MaxUserDepartments = 100;
        private const int MaxBatchDelete = 200;
        private const int MaxTags = 3000;
        private const int MaxTagMembers = 30000;
        private const int MaxTagNameLength = 32;
        private static readonly char[] IllegalDepartmentChars = { '\\', ':', '*', '?', '"', '<', '>', '|' };
        private static readonly Regex UserIdPattern = new Regex(@"\A[0-9A-Za-z][0-9A-Za-z_@.\-]{0,63}\z", RegexOptions.CultureInvariant);
        private static readonly Regex MobilePattern = new Regex(@"\A\+?(?:[0-9]{1,4}[ \-])?[0-9]{5,20}\z", RegexOptions.CultureInvariant);
        private static readonly Regex EmailPattern = new Regex(@"\A[^@\s]+@[^@\s]+\.[^@\s]+\z", RegexOptions.CultureInvariant);

        private Dictionary<string, Func<Call, JsonObject>> WriteRoutes()
        {
            // Changing departments and members takes the contacts-sync secret.
            return new Dictionary<string, Func<Call, JsonObject>>(StringComparer.Ordinal)
            {
                ["department/create"] = ContactsSyncOnly(CreateDepartment),
                ["department/update"] = ContactsSyncOnly(UpdateDepartment),
                ["department/delete"] = ContactsSyncOnly(DeleteDepartment),
                ["user/create"] = ContactsSyncOnly(CreateUser),
                ["user/update"] = ContactsSyncOnly(UpdateUser),
                ["user/delete"] = ContactsSyncOnly(c => RemoveUsers(new[] { QueryString(c, "userid") })),
                // Login two-factor verification (D/99521): the member passed the corp's own check and may join.
                ["user/authsucc"] = ContactsSyncOnly(c =>
                {
                    VisibleUser(c.App, QueryString(c, "userid"));
                    return new JsonObject();
                }),
                ["user/batchdelete"] = ContactsSyncOnly(BatchDeleteUsers),

                // Lookups and invitations work for any secret, within its visible scope.
                ["user/getuserid"] = c => new JsonObject { ["userid"] = FindUserId(c, "mobile", u => u.Mobile, StringComparer.Ordinal) },
                ["user/get_userid_by_email"] = c => new JsonObject { ["userid"] = FindUserIdByEmail(c) },
                ["user/convert_to_openid"] = ConvertToOpenId,
                ["batch/invite"] = Invite,

                // Any app may create tags; only the creating app may change one.
                ["tag/create"] = CreateTag,
                ["tag/update"] = UpdateTag,
                ["tag/delete"] = DeleteTag,
                ["tag/addtagusers"] = c => ChangeTagMembers(c, add: true),
                ["tag/deltagusers"] = c => ChangeTagMembers(c, add: false),
            };
        }

        /// <summary>The errmsg of a successful write: WeCom answers "created", "updated" or "deleted" where its pages say so.</summary>
        private static string SuccessMessage(string path) => path switch
        {
            "user/create" or "department/create" => "created",
            "user/update" or "department/update" => "updated",
            "user/delete" or "user/batchdelete" or "department/delete" or "tag/delete" => "deleted",
            "tag/create" => "created",
            "tag/update" => "updated",
            _ => "ok",
        };

        private JsonObject CreateDepartment(Call c)
        {
            if (_departments.Count >= MaxDepartments)
            {
                throw new ApiError(81001, $"department node number exceed limit: a corp holds at most {MaxDepartments} departments");
            }

            var id = BodyLong(c.Body, "id");
            if (id is { } explicitId && (explicitId <= RootDepartmentId || explicitId > int.MaxValue))
            {
                throw new ApiError(60123, "invalid party id: an explicit id must be greater than 1 and fit in 32 bits");
            }

            if (id is { } taken && _departments.ContainsKey((int)taken))
            {
                throw new ApiError(60008, "department existed: the id is in use");
            }

            if (c.Body["parentid"] is null)
            {
                throw InvalidParameter("parentid");
            }

            var draft = new SandboxDepartment { Id = (int?)id ?? _departments.Keys.DefaultIfEmpty(0).Max() + 1 };
            _departments[draft.Id] = ReadDepartment(c.Body, draft);
            return new JsonObject { ["id"] = draft.Id };
        }

        private JsonObject UpdateDepartment(Call c)
        {
            var id = BodyInt(c.Body, "id") ?? throw InvalidParameter("id");
            var current = ExistingDepartment(id);
            if (id == RootDepartmentId && (BodyInt(c.Body, "parentid") ?? current.ParentId) != current.ParentId)
            {
                throw new ApiError(60007, "not allow to move the root department");
            }

            _departments[id] = ReadDepartment(c.Body, current);
            return new JsonObject();
        }

        private JsonObject DeleteDepartment(Call c)
        {
            var id = ExistingDepartment(QueryInt(c, "id")).Id;
            if (id == RootDepartmentId)
            {
                throw new ApiError(60007, "not allow to delete root department");
            }

            if (_departments.Values.Any(d => d.ParentId == id))
            {
                throw new ApiError(60006, "department has child department");
            }

            if (_users.Values.Any(u => u.Department.Contains(id)))
            {
                throw new ApiError(60005, "department has member");
            }

            _departments.Remove(id);
            foreach (var tag in _tags.Values)
            {
                tag.Departments.Remove(id);
            }

            return new JsonObject();
        }

        /// <summary>The department as <paramref name="body"/> would leave it (omitted fields unchanged), checked against every rule.</summary>
        private SandboxDepartment ReadDepartment(JsonObject body, SandboxDepartment current)
        {
            var draft = new SandboxDepartment
            {
                Id = current.Id,
                Name = BodyString(body, "name") ?? current.Name,
                NameEn = Replace(body, "name_en", current.NameEn),
                ParentId = BodyInt(body, "parentid") ?? current.ParentId,
                Order = BodyLong(body, "order") ?? current.Order,
                Leaders = current.Leaders,
            };
            CheckDepartmentName(draft.Name, "name");
            if (draft.NameEn != null)
            {
                CheckDepartmentName(draft.NameEn, "name_en");
            }

            if (draft.Order < 0 || draft.Order >= OrderLimit)
            {
                throw new ApiError(40058, "invalid Request Parameter, order must be in [0, 2^32)");
            }

            if (draft.Id == RootDepartmentId)
            {
                return draft;
            }

            if (!_departments.ContainsKey(draft.ParentId))
            {
                throw new ApiError(60004, "parent department not found");
            }

            if (Subtree(draft.Id).Any(d => d.Id == draft.ParentId))
            {
                throw new ApiError(60010, "department exist circulation: a department cannot move below itself");
            }

            if (_departments.Values.Any(d => d.ParentId == draft.ParentId && d.Id != draft.Id && d.Name == draft.Name))
            {
                throw new ApiError(60008, "department existed: the parent already has a department of that name");
            }

            var height = _departments.ContainsKey(draft.Id) ? Subtree(draft.Id).Max(d => Depth(d.Id)) - Depth(draft.Id) + 1 : 1;
            if (Depth(draft.ParentId) + height > MaxDepth)
            {
                throw new ApiError(81002, $"department level exceed limit: at most {MaxDepth} levels");
            }

            return draft;
        }

        private static void CheckDepartmentName(string name, string field)
        {
            if (name.Length == 0 || TextLength(name) > 64)
            {
                throw new ApiError(60001, $"department {field} length must be 1-64 characters");
            }

            if (name.IndexOfAny(IllegalDepartmentChars) >= 0)
            {
                throw new ApiError(60009, $"department {field} contains illegal characters \\:*?\"<>|");
            }
        }

        private SandboxDepartment ExistingDepartment(int id) =>
            _departments.TryGetValue(id, out var department) ? department : throw new ApiError(60003, "department not found");

        /// <summary>Levels from the root down to <paramref name="id"/>: 1 for the root, 0 for no department.</summary>
        private int Depth(int id)
        {
            var depth = 0;
            while (depth <= _departments.Count && _departments.TryGetValue(id, out var department))
            {
                depth++;
                id = department.ParentId;
            }

            return depth;
        }

        private JsonObject CreateUser(Call c)
        {
            var userId = BodyString(c.Body, "userid") ?? "";
            CheckUserId(userId, null);
            var draft = new SandboxUser { UserId = userId, Department = { RootDepartmentId }, Order = { 0 }, IsLeaderInDept = { 0 }, Status = 4, NeverActivated = true };
            ReadUser(c.Body, draft, null);
            StoreUser(draft);
            SyncLeadership(draft, null);
            return new JsonObject();
        }

        private JsonObject UpdateUser(Call c)
        {
            var current = ExistingUser(BodyString(c.Body, "userid"));
            var draft = current.Copy();
            if (BodyString(c.Body, "new_userid") is { } newUserId && newUserId != current.UserId)
            {
                // A userid WeCom generated may be changed once (D/90197); one the corp chose, as often as it likes.
                if (current.GeneratedUserId && current.RenamedOnce)
                {
                    throw new ApiError(40058, "invalid Request Parameter, new_userid: a userid WeCom generated can be changed only once");
                }

                CheckUserId(newUserId, current);
                draft.UserId = newUserId;
                draft.RenamedOnce = true;
            }

            ReadUser(c.Body, draft, current);
            UnstoreUser(current);
            StoreUser(draft);
            if (draft.UserId != current.UserId)
            {
                ForEachReference(ids =>
                {
                    for (var i = 0; i < ids.Count; i++)
                    {
                        ids[i] = SameUser(ids[i], current.UserId) ? draft.UserId : ids[i];
                    }
                });
            }

            SyncLeadership(draft, current);
            return new JsonObject();
        }

        private JsonObject BatchDeleteUsers(Call c)
        {
            var ids = BodyList(c.Body, "useridlist", ToText);
            if (ids is null || ids.Count == 0 || ids.Count > MaxBatchDelete)
            {
                throw new ApiError(40058, $"invalid Request Parameter, useridlist must hold 1-{MaxBatchDelete} userids");
            }

            return RemoveUsers(ids);
        }

        /// <summary>Deletes every listed member, or none when one is unknown; references to them go too.</summary>
        private JsonObject RemoveUsers(IReadOnlyCollection<string> userIds)
        {
            var users = userIds.Select(ExistingUser).Distinct().ToList();
            var removed = new HashSet<string>(users.Select(u => u.UserId), StringComparer.OrdinalIgnoreCase);
            foreach (var user in users)
            {
                UnstoreUser(user);
            }

            ForEachReference(ids => ids.RemoveAll(removed.Contains));

            return new JsonObject();
        }

        /// <summary>Applies the member fields present in <paramref name="body"/> to <paramref name="draft"/> and checks the result in full.</summary>
        private void ReadUser(JsonObject body, SandboxUser draft, SandboxUser? current)
        {
            draft.Name = BodyString(body, "name") ?? draft.Name;
            draft.Alias = Replace(body, "alias", draft.Alias);
            draft.Position = Replace(body, "position", draft.Position);
            // Once a member has activated, WeCom ignores a new mobile (the member changes it in the app).
            draft.Mobile = current is { NeverActivated: false } ? draft.Mobile : Replace(body, "mobile", draft.Mobile);
            // In a corp bound to Tencent Exmail, an existing member's email is changed in Exmail: user/update ignores it.
            draft.Email = current != null && ExmailBound ? draft.Email : Replace(body, "email", draft.Email);
            draft.BizMail = Replace(body, "biz_mail", draft.BizMail);
            draft.Telephone = Replace(body, "telephone", draft.Telephone);
            draft.Address = Replace(body, "address", draft.Address);
            draft.Gender = BodyString(body, "gender") switch
            {
                null => draft.Gender,
                "0" => 0,
                "1" => 1,
                "2" => 2,
                _ => throw InvalidParameter("gender"),
            };

            // Enabling brings back a disabled member; one who never activated is not activated again (4), disabled or not.
            draft.Status = BodyLong(body, "enable") switch
            {
                null => draft.Status,
                0 => 2,
                1 => draft.Status == 2 ? (draft.NeverActivated ? 4 : 1) : draft.Status,
                _ => throw InvalidParameter("enable"),
            };
            if (BodyList(body, "department", ToInt) is { } departments)
            {
                // Departments the member keeps keep their order and leadership.
                List<T> Realign<T>(List<T> values) => departments.Select(d => draft.Department.IndexOf(d) is var i && i >= 0 && i < values.Count ? values[i] : default!).ToList();
                draft.Order = Realign(draft.Order);
                draft.IsLeaderInDept = Realign(draft.IsLeaderInDept);
                draft.MainDepartment = departments.Contains(draft.MainDepartment ?? 0) ? draft.MainDepartment : null;
                draft.Department = departments;
            }

            draft.Order = BodyList(body, "order", ToLong) ?? draft.Order;
            draft.IsLeaderInDept = BodyList(body, "is_leader_in_dept", ToInt) ?? draft.IsLeaderInDept;
            draft.MainDepartment = BodyInt(body, "main_department") ?? draft.MainDepartment;
            var leaders = BodyList(body, "direct_leader", ToText);
            if (leaders?.Count > 1)
            {
                throw new ApiError(40058, "invalid Request Parameter, direct_leader: at most 1 direct leader");
            }

            draft.DirectLeader = leaders?
                .Select(id => _users.TryGetValue(id, out var leader) ? leader.UserId : throw new ApiError(60111, $"userid not found: direct_leader {id}"))
                .ToList() ?? draft.DirectLeader;
            draft.ExternalPosition = Replace(body, "external_position", draft.ExternalPosition);
            if (body["external_profile"] != null)
            {
                var profile = body["external_profile"] as JsonObject ?? throw InvalidParameter("external_profile");
                var merged = draft.ExternalProfile ?? new JsonObject();
                foreach (var field in new[] { "external_corp_name", "wechat_channels", "external_attr" })
                {
                    if (profile[field] != null)
                    {
                        merged[field] = profile[field]!.DeepClone();
                    }
                }

                // The channel's status is WeCom's to say (1 verified); a caller only names the channel.
                if (merged["wechat_channels"] is JsonObject channels)
                {
                    channels["status"] = 1;
                }

                if (merged["external_attr"] is not (null or JsonArray))
                {
                    throw InvalidParameter("external_profile");
                }

                draft.ExternalProfile = merged;
            }

            if (body["extattr"] != null)
            {
                var attrs = (body["extattr"] as JsonObject)?["attrs"] as JsonArray ?? throw InvalidParameter("extattr");
                foreach (var attr in attrs.Select(a => a as JsonObject ?? throw InvalidParameter("extattr")))
                {
                    // Only text attributes (type 0) are kept, as only they are read back.
                    if ((BodyLong(attr, "type") ?? 0) == 0)
                    {
                        draft.TextAttributes[BodyString(attr, "name") ?? throw InvalidParameter("extattr")] = (attr["text"] is JsonObject text ? BodyString(text, "value") : null) ?? "";
                    }
                }
            }

            CheckUser(draft, current);
        }

        private void CheckUser(SandboxUser user, SandboxUser? current)
        {
            if (user.Name.Length == 0 || TextLength(user.Name) > 64)
            {
                throw new ApiError(60112, "invalid name: 1-64 characters");
            }

            if (user.Department.Count > MaxUserDepartments)
            {
                throw new ApiError(60110, $"department count exceed limit: a member is in at most {MaxUserDepartments} departments");
            }

            if (user.Department.Count == 0 || user.Department.Distinct().Count() != user.Department.Count || !user.Department.All(_departments.ContainsKey))
            {
                throw new ApiError(40066, "invalid department list");
            }

            if (user.Order.Count != user.Department.Count || user.Order.Any(o => o < 0 || o >= OrderLimit))
            {
                throw new ApiError(40058, "invalid Request Parameter, order needs one value in [0, 2^32) per department");
            }

            if (user.IsLeaderInDept.Count != user.Department.Count)
            {
                throw new ApiError(60132, "is_leader_in_dept length not equal to department length");
            }

            if (user.IsLeaderInDept.Any(l => l != 0 && l != 1))
            {
                throw new ApiError(40058, "invalid Request Parameter, is_leader_in_dept needs one 0 or 1 per department");
            }

            if (user.MainDepartment is { } main && !user.Department.Contains(main))
            {
                throw new ApiError(40058, "invalid Request Parameter, main_department must be one of the member's departments");
            }

            if (user.Mobile is null && user.Email is null)
            {
                throw new ApiError(60129, "mobile and email can not be both empty");
            }

            if (user.Mobile != null && !MobilePattern.IsMatch(user.Mobile))
            {
                throw new ApiError(60103, "mobile invalid");
            }

            if (user.Mobile != null && TakenByOther(ContactKey.Mobile, user.Mobile, current))
            {
                throw new ApiError(60104, "mobile existed");
            }

            CheckEmail(user.Email, ContactKey.Email, "email", current);
            CheckEmail(user.BizMail, ContactKey.BizMail, "biz_mail", current);
        }

        private void CheckEmail(string? email, ContactKey key, string field, SandboxUser? current)
        {
            if (email != null && (email.Length > 64 || !EmailPattern.IsMatch(email)))
            {
                throw new ApiError(60105, $"{field} invalid");
            }

            if (email != null && TakenByOther(key, email, current))
            {
                throw new ApiError(60106, $"{field} existed");
            }
        }

        private enum ContactKey
        {
            Mobile,
            Email,
            BizMail,
        }

        /// <summary>
        /// How many stored members have each mobile, email and biz_mail (emails without regard to case), kept by
        /// <see cref="StoreUser"/> and <see cref="UnstoreUser"/>, so a uniqueness check needs no scan of every member.
        /// </summary>
        private readonly Dictionary<string, int> _contactCounts = new Dictionary<string, int>(StringComparer.Ordinal);

        private static IEnumerable<string> ContactKeys(SandboxUser user) =>
            new[] { Contact(ContactKey.Mobile, user.Mobile), Contact(ContactKey.Email, user.Email), Contact(ContactKey.BizMail, user.BizMail) }.OfType<string>();

        /// <summary>A field's value as <see cref="_contactCounts"/> keys it (emails in upper case), or null.</summary>
        private static string? Contact(ContactKey key, string? value) =>
            value is null ? null
            : key == ContactKey.Mobile ? "mobile:" + value
            : (key == ContactKey.Email ? "email:" : "biz_mail:") + value.ToUpperInvariant();

        /// <summary>Whether a stored member other than <paramref name="current"/> has <paramref name="value"/>.</summary>
        private bool TakenByOther(ContactKey key, string value, SandboxUser? current)
        {
            var entry = Contact(key, value)!;
            var own = current != null && ContactKeys(current).Contains(entry) ? 1 : 0;
            return _contactCounts.TryGetValue(entry, out var count) && count > own;
        }

        /// <summary>Stores <paramref name="user"/> under its userid, in place of any member stored there.</summary>
        private void StoreUser(SandboxUser user)
        {
            if (_users.TryGetValue(user.UserId, out var previous))
            {
                UnstoreUser(previous);
            }

            _users[user.UserId] = user;
            foreach (var entry in ContactKeys(user))
            {
                _contactCounts[entry] = (_contactCounts.TryGetValue(entry, out var count) ? count : 0) + 1;
            }
        }

        private void UnstoreUser(SandboxUser user)
        {
            _users.Remove(user.UserId);
            foreach (var entry in ContactKeys(user))
            {
                if (_contactCounts.TryGetValue(entry, out var count) && count > 1)
                {
                    _contactCounts[entry] = count - 1;
                }
                else
                {
                    _contactCounts.Remove(entry);
                }
            }
        }

        private void CheckUserId(string userId, SandboxUser? current)
        {
            if (!UserIdPattern.IsMatch(userId))
            {
                throw new ApiError(40003, "invalid userid: 1-64 of 0-9 A-Z a-z _ - @ ., starting with a letter or digit");
            }

            if (_users.TryGetValue(userId, out var other) && other != current)
            {
                throw new ApiError(60102, "userid existed");
            }
        }

        private SandboxUser ExistingUser(string? userId) =>
            userId != null && _users.TryGetValue(userId, out var user) ? user : throw new ApiError(60111, $"userid not found: {userId}");

        private static bool SameUser(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        /// <summary>Every list that names members: tag members, department leaders, direct leaders.</summary>
        private void ForEachReference(Action<List<string>> visit)
        {
            foreach (var list in _tags.Values.Select(t => t.Users).Concat(_departments.Values.Select(d => d.Leaders)).Concat(_users.Values.Select(u => u.DirectLeader)))
            {
                visit(list);
            }
        }

        /// <summary>A department's leaders are the members who lead it (is_leader_in_dept): the member's departments before and after a change.</summary>
        private void SyncLeadership(SandboxUser user, SandboxUser? before)
        {
            var touched = user.Department.Concat(before?.Department ?? Enumerable.Empty<int>()).Distinct();
            foreach (var department in touched.Select(id => _departments.TryGetValue(id, out var d) ? d : null).OfType<SandboxDepartment>())
            {
                var index = user.Department.IndexOf(department.Id);
                var leads = index >= 0 && user.IsLeaderInDept[index] == 1;
                if (!leads)
                {
                    department.Leaders.RemoveAll(id => SameUser(id, user.UserId));
                }
                else if (!department.Leaders.Any(id => SameUser(id, user.UserId)))
                {
                    department.Leaders.Add(user.UserId);
                }
            }
        }

        private string FindUserId(Call c, string field, Func<SandboxUser, string?> value, StringComparer comparer)
        {
            var wanted = BodyString(c.Body, field) ?? throw InvalidParameter(field);
            var visible = ScopeOf(c.App);
            return _users.Values.FirstOrDefault(u => visible.Sees(u) && comparer.Equals(value(u), wanted))?.UserId
                ?? throw new ApiError(46004, "user no exist");
        }

        private string FindUserIdByEmail(Call c) => (BodyLong(c.Body, "email_type") ?? 1) switch
        {
            1 => FindUserId(c, "email", u => u.BizMail, StringComparer.OrdinalIgnoreCase),
            2 => FindUserId(c, "email", u => u.Email, StringComparer.OrdinalIgnoreCase),
            _ => throw InvalidParameter("email_type"),
        };

        /// <summary>A stable openid per corp and member, for members who have activated WeCom.</summary>
        private JsonObject ConvertToOpenId(Call c)
        {
            var user = VisibleUser(c.App, BodyString(c.Body, "userid") ?? "");
            if (user.Status == 4)
            {
                throw new ApiError(43004, "require subscribe: the member has not activated WeCom");
            }

            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(CorpId + "/" + user.UserId));
            return new JsonObject { ["openid"] = "oSbx" + string.Concat(hash.Take(12).Select(b => b.ToString("x2", CultureInfo.InvariantCulture))) };
        }

        private JsonObject Invite(Call c)
        {
            var targets = ReadTargets(c, "user", "party", 40058);
            var tags = BodyList(c.Body, "tag", ToInt) ?? new List<int>();
            if (tags.Count > 100)
            {
                throw new ApiError(40058, "invalid Request Parameter, tag holds at most 100 tagids");
            }

            if (targets.Count + tags.Count == 0)
            {
                throw new ApiError(40058, "invalid Request Parameter, user, party and tag are all empty");
            }

            var answer = new JsonObject();
            AddIfAny(answer, "invaliduser", targets.InvalidUsers.Select(id => (JsonNode)id));
            AddIfAny(answer, "invalidparty", targets.InvalidParties.Select(id => (JsonNode)id));
            AddIfAny(answer, "invalidtag", tags.Where(id => !_tags.ContainsKey(id)).Select(id => (JsonNode)id));
            return answer;
        }

        private JsonObject CreateTag(Call c)
        {
            var name = CheckTagName(BodyString(c.Body, "tagname"), null);
            var id = BodyLong(c.Body, "tagid") ?? _tags.Keys.DefaultIfEmpty(0).Max() + 1;
            if (id < 0 || id > int.MaxValue || _tags.ContainsKey((int)id))
            {
                throw new ApiError(40068, "invalid tagid: it must be a free id >= 0");
            }

            if (_tags.Count >= MaxTags)
            {
                throw new ApiError(40058, $"invalid Request Parameter, a corp holds at most {MaxTags} tags");
            }

            _tags[(int)id] = new SandboxTag { Id = (int)id, Name = name, OwnerSecret = c.App.Identity };
            return new JsonObject { ["tagid"] = id };
        }

        private JsonObject UpdateTag(Call c)
        {
            var tag = OwnedTag(c, BodyInt(c.Body, "tagid") ?? throw new ApiError(40068, "invalid tagid"));
            tag.Name = CheckTagName(BodyString(c.Body, "tagname"), tag);
            return new JsonObject();
        }

        private JsonObject DeleteTag(Call c)
        {
            _tags.Remove(OwnedTag(c, QueryInt(c, "tagid")).Id);
            return new JsonObject();
        }

        private string CheckTagName(string? name, SandboxTag? current)
        {
            if (name is null || name.Length == 0 || TextLength(name) > MaxTagNameLength)
            {
                throw new ApiError(40072, $"invalid tagname length: 1-{MaxTagNameLength} characters");
            }

            return _tags.Values.Any(t => t != current && t.Name == name) ? throw new ApiError(40071, "UserTag Name Already Exist") : name;
        }

        private SandboxTag OwnedTag(Call c, int id)
        {
            var tag = ExistingTag(id);
            // The contacts-sync secret may also change the tags the 超级管理组 created.
            return tag.OwnerSecret == c.App.Identity || (tag.CreatedBySuperAdmin && c.App.IsContactsSync)
                ? tag
                : throw new ApiError(81011, "no privilege to access/modify tag: only the app that created it may change it");
        }

        /// <summary>addtagusers / deltagusers: the valid targets change the tag, the invalid ones are reported.</summary>
        private JsonObject ChangeTagMembers(Call c, bool add)
        {
            var tag = OwnedTag(c, BodyInt(c.Body, "tagid") ?? throw new ApiError(40068, "invalid tagid"));
            var targets = ReadTargets(c, "userlist", "partylist", 81014);
            if (targets.Count == 0)
            {
                throw new ApiError(40058, "invalid Request Parameter, userlist and partylist are both empty");
            }

            if (targets.Users.Count + targets.Parties.Count == 0)
            {
                throw add ? new ApiError(40070, "all list invalid: no user or department can be added") : new ApiError(40031, "invalid userid list: no user or department can be removed");
            }

            if (add)
            {
                var users = targets.Users.Where(id => !tag.Users.Any(u => SameUser(u, id))).ToList();
                var parties = targets.Parties.Except(tag.Departments).ToList();
                if (tag.Users.Count + tag.Departments.Count + users.Count + parties.Count > MaxTagMembers)
                {
                    throw new ApiError(81003, $"a tag holds at most {MaxTagMembers} users and departments");
                }

                tag.Users.AddRange(users);
                tag.Departments.AddRange(parties);
            }
            else
            {
                tag.Users.RemoveAll(u => targets.Users.Any(id => SameUser(u, id)));
                tag.Departments.RemoveAll(targets.Parties.Contains);
            }

            // invalidlist is a pipe-delimited string, invalidparty an array.
            var answer = new JsonObject();
            if (targets.InvalidUsers.Count > 0)
            {
                answer["invalidlist"] = string.Join("|", targets.InvalidUsers);
            }

            AddIfAny(answer, "invalidparty", targets.InvalidParties.Select(id => (JsonNode)id));
            return answer;
        }

        /// <summary>The members and departments a call names, split into those that exist within the caller's scope and the rest.</summary>
        private Targets ReadTargets(Call c, string userField, string partyField, int tooMany)
        {
            var users = BodyList(c.Body, userField, ToText) ?? new List<string>();
            var parties = BodyList(c.Body, partyField, ToInt) ?? new List<int>();
            if (users.Count > 1000 || parties.Count > 100)
            {
                throw new ApiError(tooMany, $"{userField} holds at most 1000 userids and {partyField} at most 100 departments");
            }

            var visible = ScopeOf(c.App);
            var valid = users.Select(id => _users.TryGetValue(id, out var u) && visible.Sees(u) ? u.UserId : null).ToList();
            return new Targets(
                users.Count + parties.Count,
                valid.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
                users.Where((_, i) => valid[i] is null).Distinct().ToList(),
                parties.Where(visible.Departments.Contains).Distinct().ToList(),
                parties.Where(p => !visible.Departments.Contains(p)).Distinct().ToList());
        }

        private static void AddIfAny(JsonObject answer, string key, IEnumerable<JsonNode?> items)
        {
            var array = Array(items);
            if (array.Count > 0)
            {
                answer[key] = array;
            }
        }

        /// <summary>Characters as WeCom counts them: a surrogate pair is one.</summary>
        private static int TextLength(string text) => text.Length - text.Count(char.IsLowSurrogate);

        private static ApiError InvalidParameter(string name) => new ApiError(40058, $"invalid Request Parameter, {name}");

        /// <summary>A text field: absent keeps <paramref name="current"/>, "" clears it.</summary>
        private static string? Replace(JsonObject body, string name, string? current) =>
            BodyString(body, name) is { } value ? (value.Length == 0 ? null : value) : current;

        private static string? BodyString(JsonObject body, string name) => body[name] is { } node ? ToText(node, name) : null;

        private static long? BodyLong(JsonObject body, string name) => body[name] is { } node ? ToLong(node, name) : null;

        private static int? BodyInt(JsonObject body, string name) => body[name] is { } node ? ToInt(node, name) : null;

        private static List<T>? BodyList<T>(JsonObject body, string name, Func<JsonNode?, string, T> item) => body[name] switch
        {
            null => null,
            JsonArray array => array.Select(node => item(node, name)).ToList(),
            _ => throw InvalidParameter(name),
        };

        /// <summary>A string, or a number as written (WeCom takes "1" and 1 alike).</summary>
        private static string ToText(JsonNode? node, string name) =>
            node is JsonValue value && value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
                ? value.TryGetValue<string>(out var text) ? text : value.ToJsonString()
                : throw InvalidParameter(name);

        /// <summary>An integer, or a string holding one.</summary>
        private static long ToLong(JsonNode? node, string name) =>
            node is JsonValue value && (value.TryGetValue<long>(out var number) || (value.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number)))
                ? number
                : throw InvalidParameter(name);

        private static int ToInt(JsonNode? node, string name)
        {
            var number = ToLong(node, name);
            return number >= int.MinValue && number <= int.MaxValue ? (int)number : throw InvalidParameter(name);
        }

        /// <summary>The users and departments a call names: valid ones (existing, in the caller's scope, canonical userids) and the rest as given.</summary>
        private sealed class Targets
        {
            public Targets(int count, List<string> users, List<string> invalidUsers, List<int> parties, List<int> invalidParties)
            {
                Count = count;
                Users = users;
                InvalidUsers = invalidUsers;
                Parties = parties;
                InvalidParties = invalidParties;
            }

            /// <summary>How many ids the call named.</summary>
            public int Count { get; }
            public List<string> Users { get; }
            public List<string> InvalidUsers { get; }
            public List<int> Parties { get; }
            public List<int> InvalidParties { get; }
        }
    }
}
