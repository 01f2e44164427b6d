using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>A member as the source of truth has it: the userid and the fields the source owns, as text ("" is an empty field).</summary>
    public sealed class WeComDesiredUser
    {
        public WeComDesiredUser(string userId, IEnumerable<KeyValuePair<string, string?>> fields)
        {
            UserId = userId.Trim();
            Fields = fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.OrdinalIgnoreCase);
        }

        public string UserId { get; }
        /// <summary>The owned fields by name (see <see cref="DesiredStatePlanner.UserFields"/>).</summary>
        public IReadOnlyDictionary<string, string?> Fields { get; }
    }

    /// <summary>What a plan covers besides the differences of the given fields.</summary>
    internal sealed class WeComPlanOptions
    {
        /// <summary>Also lists members whose owned fields already match, as Unchanged.</summary>
        public bool IncludeUnchanged { get; set; }
        /// <summary>Deletes members that are in WeCom but not in the rows.</summary>
        public bool IncludeDelete { get; set; }
        /// <summary>Creates departments of paths that do not exist, parents first; otherwise an unknown path is an error.</summary>
        public bool CreateMissingDepartments { get; set; }
        /// <summary>The most deletions the plan may have; <see cref="WeComPS.DeleteLimit.Default"/> when null.</summary>
        public DeleteLimit? DeleteLimit { get; set; }
        /// <summary>
        /// Earlier applies, from the journal: a field WeCom kept then (an email in a corp bound to Tencent Exmail), still
        /// with the same old and wanted value, is listed as kept rather than planned again.
        /// </summary>
        public IEnumerable<WeComJournalEntry>? History { get; set; }
    }

    /// <summary>
    /// Compares desired members with the directory and lists each difference field by field (old -> new), covering
    /// only the fields the rows own: everything else stays as WeCom has it.
    /// </summary>
    internal sealed partial class DesiredStatePlanner
    {
        private readonly WeComConnection _connection;

        public DesiredStatePlanner(WeComConnection connection) => _connection = connection;

        /// <summary>The member fields a plan can own, by the names of the cmdlets' parameters.</summary>
        public static IReadOnlyList<string> UserFields => MemberFields.Names;

        /// <summary>The field a column names (case-insensitive; DepartmentId is Department), or null when a plan does not compare it.</summary>
        public static string? UserField(string column) => MemberFields.Canonical(column);

        /// <summary>
        /// The plan that makes the directory's members match <paramref name="rows"/>: one read of the department tree
        /// and of every member's record, then no request at all.
        /// </summary>
        public async Task<WeComPlan> PlanUsersAsync(IEnumerable<WeComDesiredUser> rows, WeComPlanOptions options, IProgress<WeComProgress>? progress, CancellationToken cancellationToken)
        {
            var tree = await DirectoryReads.TreeAsync(_connection, cancellationToken).ConfigureAwait(false);
            var current = await DirectoryReads.MembersAsync(_connection, progress, cancellationToken).ConfigureAwait(false);
            return Plan(rows, tree, current, options, _connection.CorpId);
        }

        /// <summary>
        /// One plan for department rows and member rows together: the departments first (renamed, moved and created ones
        /// as they will be), then the members against that tree, so a member row may name a department by its new path.
        /// </summary>
        public async Task<WeComPlan> PlanRowsAsync(
            IReadOnlyList<WeComDesiredUser> users, IReadOnlyList<WeComDesiredDepartment> departments, WeComPlanOptions options, IProgress<WeComProgress>? progress, CancellationToken cancellationToken)
        {
            var tree = await DirectoryReads.TreeAsync(_connection, cancellationToken).ConfigureAwait(false);
            var byPath = departments.Count == 0 ? null : PlanDepartments(departments, tree, options);
            if (users.Count == 0)
            {
                return byPath!;
            }

            var current = await DirectoryReads.MembersAsync(_connection, progress, cancellationToken).ConfigureAwait(false);
            var members = Plan(users, byPath?.Tree ?? tree, current, options, _connection.CorpId);
            if (byPath is null)
            {
                return members;
            }

            bool Deletes(WeComPlanItem i) => i.Action == WeComPlanAction.Delete;
            return new WeComPlan
            {
                Items = byPath.Items.Where(i => !Deletes(i)).Concat(members.Items).Concat(byPath.Items.Where(Deletes)).ToList(),
                Invalid = byPath.Invalid.Concat(members.Invalid).ToList(),
                NotCompared = members.NotCompared,
                Notes = byPath.Notes,
                Existing = members.Existing,
                DeletionRefused = byPath.DeletionRefused ?? members.DeletionRefused,
            };
        }

        /// <summary>The plan for <paramref name="rows"/> against a tree and members already read.</summary>
        internal static WeComPlan Plan(IEnumerable<WeComDesiredUser> rows, IReadOnlyList<WeComDepartment> tree, IReadOnlyDictionary<string, WeComUser> current, WeComPlanOptions options, string corpId)
        {
            var paths = new DepartmentPaths(tree, options.CreateMissingDepartments);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var items = new List<WeComPlanItem>();
            var invalid = new List<ItemResult<object>>();
            var notCompared = new SortedSet<string>(StringComparer.Ordinal);
            var keptBefore = KeptBefore(options.History, corpId);
            foreach (var row in rows)
            {
                try
                {
                    if (Rules.UserId(row.UserId) is { } bad)
                    {
                        throw bad.About("UserItem", row.UserId);
                    }

                    if (!seen.Add(row.UserId))
                    {
                        throw WeComException.InvalidInput("DuplicateRow", Msg.Get("UserRowRepeated", row.UserId));
                    }

                    current.TryGetValue(row.UserId, out var now);
                    var wanted = MemberFields.Desired(row.UserId, row.Fields, now, paths);
                    var item = Compare(row.UserId, wanted, now, paths, notCompared, keptBefore, options.IncludeUnchanged);
                    if (item.Action != WeComPlanAction.Unchanged || item.Kept.Count > 0 || options.IncludeUnchanged)
                    {
                        items.Add(item);
                    }
                }
                catch (WeComException ex) when (!ex.AffectsAllItems)
                {
                    invalid.Add(ItemResult<object>.Failed(ex.NamesItem || ex.ErrorId == "DuplicateRow" ? ex : ex.About(Msg.Get("UserLabel", row.UserId)), row.UserId));
                }
            }

            var deletes = options.IncludeDelete
                ? current.Values.Where(u => !seen.Contains(u.UserId)).Select(u => new WeComPlanItem
                {
                    Action = WeComPlanAction.Delete,
                    Target = u.UserId,
                    Name = u.Name,
                    Changes = new WeComFieldChanges(u.Name is null ? new WeComFieldChange[0] : new[] { new WeComFieldChange { Field = "Name", Old = u.Name } }),
                }).ToList()
                : new List<WeComPlanItem>();
            return new WeComPlan
            {
                Items = paths.Creates.Concat(items).Concat(deletes).ToList(),
                Invalid = invalid,
                NotCompared = notCompared,
                Existing = current.Count,
                DeletionRefused = deletes.Count == 0 ? null : (options.DeleteLimit ?? DeleteLimit.Default).Check(deletes.Count, current.Count, "member"),
            };
        }

        /// <summary>The fields WeCom kept at their latest apply in corp <paramref name="corpId"/>, by member and field (a later apply that changed the field forgets it).</summary>
        private static Dictionary<(string UserId, string Field), WeComFieldChange> KeptBefore(IEnumerable<WeComJournalEntry>? history, string corpId)
        {
            var kept = new Dictionary<(string, string), WeComFieldChange>();
            foreach (var entry in history?.Where(e => e.ObjectType == WeComPlanObjectType.User && string.Equals(e.CorpId, corpId, StringComparison.Ordinal)) ?? Enumerable.Empty<WeComJournalEntry>())
            {
                var userId = entry.Target.ToUpperInvariant();
                foreach (var change in entry.Outcome == WeComPlanResultStatus.Succeeded ? entry.Changes : Enumerable.Empty<WeComFieldChange>())
                {
                    kept.Remove((userId, change.Field));
                }

                foreach (var change in entry.Kept ?? Enumerable.Empty<WeComFieldChange>())
                {
                    kept[(userId, change.Field)] = change;
                }
            }

            return kept;
        }

        private static WeComPlanItem Compare(
            string userId, Dictionary<string, string> wanted, WeComUser? now, DepartmentPaths paths, ISet<string> notCompared, Dictionary<(string, string), WeComFieldChange> keptBefore, bool includeUnchanged)
        {
            var item = new WeComPlanItem { Target = now?.UserId ?? userId, Name = (wanted.TryGetValue("Name", out var name) ? name : null) ?? now?.Name };
            var fields = MemberFields.Ordered(wanted.Keys).ToList();
            if (now is null)
            {
                item.Action = WeComPlanAction.Create;
                item.Changes = new WeComFieldChanges(fields.Select(f => new WeComFieldChange { Field = f, New = wanted[f] }));
                return item;
            }

            var changes = new List<WeComFieldChange>();
            var unchanged = new List<WeComFieldChange>();
            var kept = new List<WeComFieldChange>();
            foreach (var field in fields)
            {
                var old = MemberFields.Current(now, field, paths.Label);
                if (old is null)
                {
                    notCompared.Add(field);
                    continue;
                }

                var change = new WeComFieldChange { Field = field, Old = old, New = wanted[field] };
                var keptThen = keptBefore.TryGetValue((now.UserId.ToUpperInvariant(), field), out var before) && MemberFields.Same(field, before.Old, old) && MemberFields.Same(field, before.New, wanted[field]);
                (MemberFields.Same(field, old, wanted[field]) ? unchanged : keptThen || MemberFields.KeptByMember(field, now) ? kept : changes).Add(change);
            }

            item.Action = changes.Count > 0 ? WeComPlanAction.Update : WeComPlanAction.Unchanged;
            item.Changes = new WeComFieldChanges(includeUnchanged ? changes.Concat(unchanged) : changes);
            item.Kept = new WeComFieldChanges(kept);
            return item;
        }
    }
}
