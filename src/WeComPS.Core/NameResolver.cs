using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>
    /// Turns what an admin writes for a department or a tag into its id: the id itself, a name that is unique, or a
    /// department's full path such as <c>/广州研发中心/测试部</c>. The department tree and the tag list are read once,
    /// and only when a name is given. An unknown or ambiguous name is an error naming it.
    /// </summary>
    internal sealed class NameResolver
    {
        private readonly WeComConnection _connection;
        private readonly SemaphoreSlim _reading = new SemaphoreSlim(1, 1);
        private IReadOnlyList<WeComDepartment>? _departments;
        private IReadOnlyList<WeComTag>? _tags;
        private HashSet<int>? _departmentIds;
        private bool _namesUnreadable;
        private bool _userNamesUnreadable;

        public NameResolver(WeComConnection connection) => _connection = connection;

        /// <summary>The id <paramref name="text"/> spells, or null when it is a name.</summary>
        public static int? AsId(string text) =>
            int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : (int?)null;

        /// <summary>True when every text is an id, so no look-up is needed.</summary>
        public static bool AreIds(IEnumerable<string>? texts) => texts is null || texts.All(t => AsId(t) != null);

        /// <summary>The department tree, as read for the first name (department/list, in tree order with paths).</summary>
        public Task<IReadOnlyList<WeComDepartment>> DepartmentsAsync(CancellationToken cancellationToken) =>
            ReadOnceAsync(() => _departments, () => _connection.Departments.GetTreeAsync(cancellationToken), d => _departments = d, cancellationToken);

        /// <summary>
        /// Fills what a tag member lacks for an admin to read it: the tag's name (tag/list, read once) and a tagged
        /// department's name (the department tree, read once; left empty where this secret cannot read names).
        /// </summary>
        public async Task<WeComTagMember> NameAsync(WeComTagMember member, CancellationToken cancellationToken)
        {
            if (member.TagName is null)
            {
                var tags = await TagsAsync(cancellationToken).ConfigureAwait(false);
                member.TagName = tags.FirstOrDefault(t => t.TagId == member.TagId)?.TagName;
            }

            if (member.Name is null && member is WeComTagDepartment { DepartmentId: var id } && !_namesUnreadable)
            {
                try
                {
                    member.Name = (await DepartmentsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => d.Id == id)?.Name;
                }
                catch (WeComException ex) when (!ex.AffectsAllItems)
                {
                    _namesUnreadable = true;
                }
            }

            return member;
        }

        private Task<IReadOnlyList<WeComTag>> TagsAsync(CancellationToken cancellationToken) =>
            ReadOnceAsync(() => _tags, () => _connection.Tags.GetAllAsync(cancellationToken), t => _tags = t, cancellationToken);

        /// <summary>
        /// What <paramref name="kept"/> holds, else what <paramref name="read"/> reads, kept: one read at a time, so callers
        /// at once share one; a read that fails is tried again by the next caller.
        /// </summary>
        private async Task<T> ReadOnceAsync<T>(Func<T?> kept, Func<Task<T>> read, Action<T> keep, CancellationToken cancellationToken)
            where T : class
        {
            await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (kept() is { } value)
                {
                    return value;
                }

                var fresh = await read().ConfigureAwait(false);
                keep(fresh);
                return fresh;
            }
            finally
            {
                _reading.Release();
            }
        }

        /// <summary>
        /// The member as an admin recognises them, "LiSi (李四)" (user/get); only the userid when the member cannot be
        /// read with this secret, and for every later member once reading details is refused (48009 on a new IP).
        /// </summary>
        public async Task<string> UserLabelAsync(string userId, CancellationToken cancellationToken)
        {
            if (_userNamesUnreadable || UserOperations.CheckUserId(userId) != null)
            {
                return userId;
            }

            await foreach (var read in _connection.Users.GetAsync(new[] { userId }, 1, cancellationToken).ConfigureAwait(false))
            {
                if (read.Value?.Name is { } name)
                {
                    return $"{userId} ({name})";
                }

                _userNamesUnreadable |= read.Error?.ErrCode == 48009;
            }

            return userId;
        }

        /// <summary>
        /// The department as an admin recognises it, "4 企业微信产品部"; only its id when names cannot be read with
        /// this secret (48009 on a new IP, or outside an app's visible scope).
        /// </summary>
        public async Task<string> DepartmentLabelAsync(int id, CancellationToken cancellationToken)
        {
            var text = id.ToString(CultureInfo.InvariantCulture);
            if (_namesUnreadable)
            {
                return text;
            }

            try
            {
                var department = (await DepartmentsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => d.Id == id);
                return department?.Name is { } name ? text + " " + name : text;
            }
            catch (WeComException ex) when (!ex.AffectsAllItems)
            {
                _namesUnreadable = true;
                return text;
            }
        }

        /// <summary>The tag as an admin recognises it, "3 值班" (tag/list, read once); only its id when it is not listed.</summary>
        public async Task<string> TagLabelAsync(int id, CancellationToken cancellationToken)
        {
            var text = id.ToString(CultureInfo.InvariantCulture);
            try
            {
                var tags = await TagsAsync(cancellationToken).ConfigureAwait(false);
                return tags.FirstOrDefault(t => t.TagId == id)?.TagName is { } name ? text + " " + name : text;
            }
            catch (WeComException ex) when (!ex.AffectsAllItems)
            {
                return text;
            }
        }

        /// <summary>
        /// The departments that are not in the directory among <paramref name="ids"/>, from the light id tree
        /// (department/simplelist with the connection's own secret, read once; it also works where department/list is
        /// refused with 48009).
        /// </summary>
        public async Task<IReadOnlyList<int>> UnknownDepartmentsAsync(IEnumerable<int> ids, CancellationToken cancellationToken)
        {
            // Never the tree of names: read with an app secret, it holds only the app's visible scope.
            var known = await ReadOnceAsync(
                () => _departmentIds,
                async () => new HashSet<int>((await _connection.Departments.GetIdTreeAsync(cancellationToken).ConfigureAwait(false)).Select(d => d.Id)),
                k => _departmentIds = k,
                cancellationToken).ConfigureAwait(false);
            return ids.Where(id => !known.Contains(id)).Distinct().ToList();
        }

        /// <summary>The department id of each text: ids as they are, names and paths looked up.</summary>
        public async Task<int[]> DepartmentIdsAsync(IEnumerable<string> texts, CancellationToken cancellationToken)
        {
            var list = texts.ToList();
            if (AreIds(list))
            {
                return list.Select(t => AsId(t)!.Value).ToArray();
            }

            var tree = await DepartmentsAsync(cancellationToken).ConfigureAwait(false);
            return list.Select(t => FindDepartment(tree, t)).ToArray();
        }

        /// <summary>The tag id of each text: ids as they are, names looked up in tag/list.</summary>
        public async Task<int[]> TagIdsAsync(IEnumerable<string> texts, CancellationToken cancellationToken)
        {
            var list = texts.ToList();
            if (AreIds(list))
            {
                return list.Select(t => AsId(t)!.Value).ToArray();
            }

            var tags = await TagsAsync(cancellationToken).ConfigureAwait(false);
            return list.Select(t => FindTag(tags, t)).ToArray();
        }

        /// <summary>
        /// The id of the department <paramref name="text"/> names in <paramref name="tree"/>: an id, a full path
        /// (广州研发中心/测试部, with or without the leading /), or a name only one department has. Throws DepartmentNotFound or AmbiguousDepartmentName.
        /// </summary>
        public static int FindDepartment(IEnumerable<WeComDepartment> tree, string text)
        {
            var wanted = text.Trim();
            if (AsId(wanted) is { } id)
            {
                return id;
            }

            var all = tree.ToList();
            var path = "/" + wanted.Trim('/');
            var matches = wanted.IndexOf('/') >= 0
                ? all.Where(d => string.Equals(d.Path, path, StringComparison.OrdinalIgnoreCase)).ToList()
                : all.Where(d => string.Equals(d.Name, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
            return matches.Count switch
            {
                1 => matches[0].Id,
                0 => throw WeComException.NotFound(
                    "DepartmentNotFound", Msg.Get("NoDepartmentNamed", wanted), "department/list", Msg.Get("NoDepartmentNamedAdvice")),
                _ => throw WeComException.InvalidInput(
                    "AmbiguousDepartmentName",
                    Msg.Get("AmbiguousDepartmentName", matches.Count, wanted, string.Join(", ", matches.Select(d => $"{d.Id} {d.Path}")))),
            };
        }

        /// <summary>The id of the tag <paramref name="text"/> names: an id, or a tag name. Throws TagNotFound.</summary>
        public static int FindTag(IEnumerable<WeComTag> tags, string text)
        {
            var wanted = text.Trim();
            if (AsId(wanted) is { } id)
            {
                return id;
            }

            var all = tags.ToList();
            var matches = all.Where(t => string.Equals(t.TagName, wanted, StringComparison.Ordinal)).ToList();
            if (matches.Count == 0)
            {
                matches = all.Where(t => string.Equals(t.TagName, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
            }

            return matches.Count switch
            {
                1 => matches[0].TagId,
                0 => throw WeComException.NotFound("TagNotFound", Msg.Get("NoTagNamed", wanted), "tag/list", Msg.Get("NoTagNamedAdvice")),
                _ => throw WeComException.InvalidInput(
                    "AmbiguousTagName", Msg.Get("AmbiguousTagName", matches.Count, wanted, string.Join(", ", matches.Select(t => $"{t.TagId} {t.TagName}")))),
            };
        }
    }
}
