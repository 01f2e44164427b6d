using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>Reads and changes members.</summary>
    internal sealed partial class UserOperations
    {
        private readonly WeComConnection _connection;

        internal UserOperations(WeComConnection connection) => _connection = connection;

        /// <summary>
        /// Members by user id (user/get), several at once, in the order asked, each id once. An id that is
        /// malformed is reported without a request; one that fails is reported and the others still come.
        /// </summary>
        public async IAsyncEnumerable<ItemResult<WeComUser>> GetAsync(
            IEnumerable<string> userIds, int? maxConcurrency = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var (wanted, invalid) = CheckUserIds<WeComUser>(userIds);
            foreach (var failure in invalid)
            {
                yield return failure;
            }

            var calls = Concurrent.OrderedSelectAsync(
                wanted,
                async (id, ct) => Parse((await _connection.Routing.ReadDetailsAsync(c => c.GetAsync("user/get", "userid=" + Uri.EscapeDataString(id), ct)).ConfigureAwait(false)).Value),
                maxConcurrency ?? _connection.MaxConcurrency,
                cancellationToken);
            var policy = new FailurePolicy();
            var read = 0;
            await foreach (var (id, result) in calls.ConfigureAwait(false))
            {
                if (Concurrent.FailureOf(result, "user/get") is not { } error)
                {
                    policy.Succeeded();
                    read++;
                    yield return ItemResult<WeComUser>.Ok(result.Result);
                }
                else
                {
                    yield return policy.Ends(error)
                        ? throw Concurrent.Stopped(error, $"{read} of {wanted.Count} members read; the result is incomplete")
                        : ItemResult<WeComUser>.Failed(error.About(Msg.Get("UserLabel", id)), id);
                }
            }
        }

        /// <summary>
        /// Members of departments: direct members, or with <paramref name="recurse"/> everyone below too. Each member
        /// comes once (de-duplicated by user id) even when in several departments. <paramref name="simple"/> reads
        /// user/simplelist (id, name, departments) instead of full records. Departments are read several at once
        /// and members stream out in tree order as their department completes.
        /// </summary>
        public async IAsyncEnumerable<ItemResult<WeComUser>> GetByDepartmentAsync(
            IEnumerable<int> departmentIds,
            bool recurse,
            bool simple = false,
            IProgress<WeComProgress>? progress = null,
            int? maxConcurrency = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var roots = departmentIds.Distinct().ToList();
            var departments = recurse ? await ExpandAsync(roots, cancellationToken).ConfigureAwait(false) : roots;
            await foreach (var result in ReadDepartmentsAsync(departments, simple, progress, maxConcurrency, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }

        /// <summary>
        /// Every member of the visible tree, each once: one department/simplelist call, then the departments as in
        /// <see cref="GetByDepartmentAsync"/>.
        /// </summary>
        public async IAsyncEnumerable<ItemResult<WeComUser>> GetAllAsync(
            bool simple = false,
            IProgress<WeComProgress>? progress = null,
            int? maxConcurrency = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var tree = await _connection.Departments.GetIdTreeAsync(cancellationToken).ConfigureAwait(false);
            var departments = tree.Select(d => d.Id).ToList();
            await foreach (var result in ReadDepartmentsAsync(departments, simple, progress, maxConcurrency, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }

        /// <summary>
        /// Every member with the departments they are in, from user/list_id (paged, 10,000 rows a call): no names or
        /// details, but a contacts-sync secret may call it from any IP. In the order WeCom lists them.
        /// </summary>
        public async Task<IReadOnlyList<WeComUser>> ListIdsAsync(CancellationToken cancellationToken)
        {
            var members = new Dictionary<string, (WeComUser User, List<int> Departments)>(StringComparer.OrdinalIgnoreCase);
            var order = new List<WeComUser>();
            var cursor = "";
            do
            {
                var page = await _connection.Client.PostAsync("user/list_id", new Dictionary<string, object> { ["cursor"] = cursor, ["limit"] = 10000 }, cancellationToken).ConfigureAwait(false);
                foreach (var row in page.Items("dept_user"))
                {
                    var userId = row.Str("userid") ?? "";
                    if (!members.TryGetValue(userId, out var member))
                    {
                        member = (new WeComUser { UserId = userId }, new List<int>());
                        members[userId] = member;
                        order.Add(member.User);
                    }

                    if (row.Int("department") is { } department && !member.Departments.Contains(department))
                    {
                        member.Departments.Add(department);
                    }
                }

                cursor = page.Str("next_cursor") ?? "";
            }
            while (cursor.Length > 0);

            foreach (var (user, departments) in members.Values)
            {
                user.Department = departments.ToArray();
            }

            return order;
        }

        /// <summary>Reads the members of <paramref name="departments"/> concurrently, in their order, each member once.</summary>
        private async IAsyncEnumerable<ItemResult<WeComUser>> ReadDepartmentsAsync(
            List<int> departments,
            bool simple,
            IProgress<WeComProgress>? progress,
            int? maxConcurrency,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var path = simple ? "user/simplelist" : "user/list";
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var completed = 0;
            var read = 0;
            var policy = new FailurePolicy();
            var calls = Concurrent.OrderedSelectAsync(
                departments,
                // The answer is parsed as it streams out, not in the call: a slot is free for the next department as
                // soon as the answer is in, and a member already seen is never parsed again.
                async (id, ct) => (await _connection.Routing.ReadDetailsAsync(c => c.GetAsync(path, "department_id=" + id.ToString(CultureInfo.InvariantCulture), ct)).ConfigureAwait(false)).Value,
                maxConcurrency ?? _connection.MaxConcurrency,
                cancellationToken);
            var idsOnly = false;
            var paths = progress is null ? null : await DepartmentPathsAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var (id, result) in calls.ConfigureAwait(false))
            {
                progress?.Report(new WeComProgress(
                    paths != null && paths.TryGetValue(id, out var shown) ? Msg.Get("ReadingMembersOf", shown, id) : Msg.Get("ReadingDepartmentMembers", id), ++completed, departments.Count));
                if (Concurrent.FailureOf(result, path) is { ErrCode: SecretRouting.DetailsForbidden })
                {
                    // No secret of the connection may read members' details: every member as user/list_id has them.
                    idsOnly = true;
                    break;
                }

                if (Concurrent.FailureOf(result, path) is { } error)
                {
                    // A refused secret or IP, or an endpoint that stopped answering, fails every department alike: one
                    // error ends the read and says how far it got, so a partial result never looks complete.
                    yield return policy.Ends(error)
                        ? throw Concurrent.Stopped(error, $"{read} of {departments.Count} departments read, {seen.Count} members returned; the result is incomplete")
                        : ItemResult<WeComUser>.Failed(error.About($"Members of department {id}"), id);
                    continue;
                }

                policy.Succeeded();
                read++;

                foreach (var user in result.Result.Items("userlist"))
                {
                    if (seen.Add(user.Str("userid") ?? ""))
                    {
                        yield return ItemResult<WeComUser>.Ok(Parse(user));
                    }
                }
            }

            if (!idsOnly)
            {
                yield break;
            }

            WeComLog.Warning(Msg.Get("MembersWithoutDetails", DepartmentOperations.NoDetails));
            var members = await ListIdsAsync(cancellationToken).ConfigureAwait(false);
            var byDepartment = members.SelectMany(u => u.Department!.Select(d => (Department: d, User: u))).ToLookup(p => p.Department, p => p.User);
            foreach (var user in departments.SelectMany(d => byDepartment[d]).Where(u => seen.Add(u.UserId)))
            {
                yield return ItemResult<WeComUser>.Ok(user);
            }
        }

        /// <summary>The roots and every department below them, each once, in tree order, from one department/simplelist call.</summary>
        /// <summary>
        /// The departments' full paths, for a progress bar to name them: one department/list call; none where this
        /// secret cannot read names (the progress bar then shows ids), and never a warning or an error for it.
        /// </summary>
        private async Task<Dictionary<int, string>?> DepartmentPathsAsync(CancellationToken cancellationToken)
        {
            if (_connection.Routing.SecretRefusedDetails && !_connection.Routing.HasAppSecret)
            {
                return null;
            }

            try
            {
                var (_, root) = await _connection.Routing.ReadDetailsAsync(c => c.GetAsync("department/list", null, cancellationToken)).ConfigureAwait(false);
                return DepartmentOperations.Arrange(root.Items("department").Select(DepartmentOperations.Parse)).Where(d => d.Path != null).ToDictionary(d => d.Id, d => d.Path!);
            }
            catch (WeComException)
            {
                return null;
            }
        }

        private async Task<List<int>> ExpandAsync(List<int> roots, CancellationToken cancellationToken)
        {
            var tree = await _connection.Departments.GetIdTreeAsync(cancellationToken).ConfigureAwait(false);
            var result = new List<int>();
            var added = new HashSet<int>();
            foreach (var root in roots)
            {
                var subtree = DepartmentOperations.Subtree(tree, root, recurse: true).Select(d => d.Id).DefaultIfEmpty(root);
                result.AddRange(subtree.Where(added.Add));
            }

            return result;
        }

        /// <summary>The error for a user id WeCom would refuse, or null when it is well formed.</summary>
        public static WeComException? CheckUserId(string? userId) =>
            Rules.UserId(userId) is { } reason ? WeComException.InvalidInput(reason.ErrorId, reason + ".") : null;

        /// <summary>The distinct ids (case-insensitively), split into well-formed ones and failures for the others.</summary>
        internal static (List<string> Valid, List<ItemResult<T>> Invalid) CheckUserIds<T>(IEnumerable<string> userIds) =>
            ItemResults.Split<string, T>(userIds.Distinct(StringComparer.OrdinalIgnoreCase), CheckUserId, id => id);

        internal static WeComUser Parse(JsonElement e) => new WeComUser
        {
            UserId = e.Str("userid") ?? "",
            Name = e.Str("name"),
            Alias = e.Str("alias"),
            EnglishName = e.Str("english_name"),
            Position = e.Str("position"),
            Department = e.IntArray("department"),
            Order = e.LongArray("order"),
            MainDepartment = e.Int("main_department"),
            IsLeaderInDept = e.FlagArray("is_leader_in_dept"),
            DirectLeader = e.StrArray("direct_leader"),
            Mobile = e.Str("mobile"),
            Email = e.Str("email"),
            BizMail = e.Str("biz_mail"),
            Telephone = e.Str("telephone"),
            Gender = e.Int("gender") is { } gender ? (WeComGender)gender : (WeComGender?)null,
            Status = e.Int("status") is { } status ? (WeComUserStatus)status : (WeComUserStatus?)null,
            Avatar = e.Str("avatar"),
            ThumbAvatar = e.Str("thumb_avatar"),
            QrCode = e.Str("qr_code"),
            Address = e.Str("address"),
            OpenUserId = e.Str("open_userid"),
            ExternalPosition = e.Str("external_position"),
            ExtAttr = e.Prop("extattr") is { } extattr ? ParseAttributes(extattr.Items("attrs")) : null,
            ExternalProfile = e.Prop("external_profile") is { } profile ? new WeComExternalProfile
            {
                CorpName = profile.Str("external_corp_name"),
                WeChatChannelsNickname = profile.Prop("wechat_channels")?.Str("nickname"),
                WeChatChannelsStatus = profile.Prop("wechat_channels")?.Int("status"),
                Attributes = ParseAttributes(profile.Items("external_attr")),
            } : null,
        };

        /// <summary>Attributes (extattr.attrs, external_profile.external_attr) by name: a text's value, a web page's url, a mini program's pagepath.</summary>
        private static WeComAttributes ParseAttributes(IEnumerable<JsonElement> attrs)
        {
            var values = new List<KeyValuePair<string, string?>>();
            foreach (var attr in attrs)
            {
                values.Add(new KeyValuePair<string, string?>(
                    attr.Str("name") ?? "",
                    attr.Prop("text")?.Str("value") ?? attr.Prop("web")?.Str("url") ?? attr.Prop("miniprogram")?.Str("pagepath")));
            }

            return new WeComAttributes(values);
        }
    }
}
