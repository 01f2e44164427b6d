using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>A department as the source of truth has it: its full path and the fields the source owns (Order, NameEn), as text.</summary>
    public sealed class WeComDesiredDepartment
    {
        public WeComDesiredDepartment(string path, IEnumerable<KeyValuePair<string, string?>> fields)
        {
            Path = path.Trim();
            Fields = fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>The full path, such as 广州研发中心/邮箱产品部 (the leading / is optional).</summary>
        public string Path { get; }
        public IReadOnlyDictionary<string, string?> Fields { get; }
    }

    // Departments: every path of the rows exists (created parents first), with the order and English name the rows own.
    // A row with the department's Id renames or moves that department to its path in one update, parents first.
    internal sealed partial class DesiredStatePlanner
    {
        /// <summary>The department fields a plan can own besides the path; Id names the department a renamed or moved path is.</summary>
        public static IReadOnlyList<string> DepartmentFields { get; } = new[] { "Id", "Order", "NameEn" };

        /// <summary>The plan that makes the department tree match <paramref name="rows"/>: one read of the tree.</summary>
        public async Task<WeComPlan> PlanDepartmentsAsync(IEnumerable<WeComDesiredDepartment> rows, WeComPlanOptions options, CancellationToken cancellationToken) =>
            PlanDepartments(rows, await DirectoryReads.TreeAsync(_connection, cancellationToken).ConfigureAwait(false), options);

        internal static WeComPlan PlanDepartments(IEnumerable<WeComDesiredDepartment> rows, IReadOnlyList<WeComDepartment> tree, WeComPlanOptions options)
        {
            var original = tree.ToDictionary(d => d.Id);
            // The tree as it will be once the renames and moves are applied: the other rows, and members, resolve against it.
            var projected = DepartmentOperations.Arrange(tree.Select(Copy)).ToList();
            var byId = projected.ToDictionary(d => d.Id);
            var invalid = new List<ItemResult<object>>();
            var renames = new Dictionary<int, WeComPlanItem>();
            var checkedRows = new List<(string Path, Dictionary<string, string> Fields)>();
            var refused = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in rows)
            {
                var path = "/" + row.Path.Trim('/');
                try
                {
                    checkedRows.Add((path, Check(path, row.Fields)));
                }
                catch (WeComException ex) when (!ex.AffectsAllItems)
                {
                    invalid.Add(ItemResult<object>.Failed(ex, path));
                }
            }

            // Renames and moves first, the shallowest new path first, so a renamed parent's new path is there for its children.
            foreach (var (path, fields) in checkedRows.Where(r => r.Fields.ContainsKey("Id")).OrderBy(r => r.Path.Count(c => c == '/')).ToList())
            {
                try
                {
                    var id = int.Parse(fields["Id"], CultureInfo.InvariantCulture);
                    if (!byId.TryGetValue(id, out var now))
                    {
                        throw WeComException.NotFound("DepartmentNotFound", Msg.Get("NoDepartmentToRename", path, id), "department/list", Msg.Get("NoDepartmentToRenameAdvice"));
                    }

                    if (now.Name is null)
                    {
                        throw WeComException.InvalidInput("DepartmentNamesUnreadable", Msg.Get("RenameNamesUnreadable", path, id));
                    }

                    // Ordinal: a rename may change only the letter case.
                    if (string.Equals(now.Path, path, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var cut = path.LastIndexOf('/');
                    var name = path.Substring(cut + 1).Trim();
                    var parentId = cut == 0 ? now.ParentId : NameResolver.FindDepartment(projected, path.Substring(0, cut));
                    var reason = Rules.First(
                        Rules.DepartmentName(name),
                        cut == 0 && now.ParentId != 0 && byId.ContainsKey(now.ParentId) ? Rules.Fail("InvalidParentDepartment", "OnePartPath", byId[now.ParentId].Path!.Split('/')[1]) : null,
                        Ancestors(byId, parentId).Contains(id) ? Rules.Fail("DepartmentCycle", "MoveBelowItself", byId[parentId].Path) : null,
                        projected.Any(d => d.ParentId == parentId && d.Id != id && string.Equals(d.Name, name, StringComparison.Ordinal)) ? Rules.Fail("DuplicateDepartmentPath", "PathExists", path) : null);
                    if (reason != null)
                    {
                        throw WeComException.InvalidItem(reason.ErrorId, Msg.Get("DepartmentIdItem", path, id, reason.Reason));
                    }

                    var changes = new List<WeComFieldChange>();
                    if (now.Name != name)
                    {
                        changes.Add(new WeComFieldChange { Field = "Name", Old = original[id].Name, New = name });
                    }

                    if (now.ParentId != parentId)
                    {
                        changes.Add(new WeComFieldChange { Field = "Parent", Old = original.TryGetValue(original[id].ParentId, out var oldParent) ? oldParent.Path : null, New = byId[parentId].Path });
                    }

                    if (changes.Count == 0)
                    {
                        continue;
                    }

                    renames[id] = new WeComPlanItem { Action = WeComPlanAction.Update, ObjectType = WeComPlanObjectType.Department, Target = original[id].Path ?? path, Name = name, Changes = new WeComFieldChanges(changes) };
                    now.Name = name;
                    now.ParentId = parentId;
                    projected = DepartmentOperations.Arrange(projected).ToList();
                }
                catch (WeComException ex) when (!ex.AffectsAllItems)
                {
                    refused.Add(path);
                    invalid.Add(ItemResult<object>.Failed(ex.NamesItem || ex.ErrorId == "DepartmentNotFound" || ex.ErrorId == "DepartmentNamesUnreadable" ? ex : ex.About(Msg.Get("DepartmentLabel", path)), path));
                }
            }

            var paths = new DepartmentPaths(projected, createMissing: true);
            var wanted = new HashSet<int>();
            var items = new List<WeComPlanItem>();
            foreach (var (path, row) in checkedRows.Where(r => !refused.Contains(r.Path)))
            {
                try
                {
                    var fields = row.Where(f => f.Key != "Id").ToDictionary(f => f.Key, f => f.Value);
                    var given = row.TryGetValue("Id", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : (int?)null;
                    if (given is { } named && byId.TryGetValue(named, out var elsewhere) && !string.Equals(elsewhere.Path, path, StringComparison.OrdinalIgnoreCase))
                    {
                        // Another row with the same Id renamed or moved it: this row's path and fields would be lost.
                        throw WeComException.InvalidInput("DepartmentIdElsewhere", Msg.Get("DepartmentIdElsewhere", path, named, elsewhere.Path));
                    }

                    var id = paths.Resolve(path);
                    if (!wanted.Add(id))
                    {
                        throw WeComException.InvalidInput("DuplicateRow", Msg.Get("DepartmentRowRepeated", path));
                    }

                    if (given != null && given != id)
                    {
                        throw WeComException.InvalidInput("DepartmentIdElsewhere", Msg.Get("DepartmentIdElsewhere", path, given, paths.Label(given.Value)));
                    }

                    if (!byId.TryGetValue(id, out var now))
                    {
                        var created = paths.Creates.First(c => c.Target == paths.Label(id));
                        created.Changes = new WeComFieldChanges(created.Changes.Concat(fields.Select(f => new WeComFieldChange { Field = f.Key, New = f.Value })));
                        continue;
                    }

                    var changes = fields.Select(f => new WeComFieldChange { Field = f.Key, Old = f.Key == "Order" ? now.Order.ToString(CultureInfo.InvariantCulture) : now.NameEn ?? "", New = f.Value }).ToList();
                    var changed = changes.Where(c => c.Old != c.New).ToList();
                    if (renames.TryGetValue(id, out var rename))
                    {
                        rename.Changes = new WeComFieldChanges(rename.Changes.Concat(changed));
                    }
                    else if (changed.Count > 0 || options.IncludeUnchanged)
                    {
                        items.Add(new WeComPlanItem
                        {
                            Action = changed.Count > 0 ? WeComPlanAction.Update : WeComPlanAction.Unchanged,
                            ObjectType = WeComPlanObjectType.Department,
                            Target = original[id].Path ?? path,
                            Name = now.Name,
                            Changes = new WeComFieldChanges(options.IncludeUnchanged ? changes : changed),
                        });
                    }
                }
                catch (WeComException ex) when (!ex.AffectsAllItems)
                {
                    invalid.Add(ItemResult<object>.Failed(ex.NamesItem || ex.ErrorId == "DuplicateRow" || ex.ErrorId == "DepartmentIdElsewhere" ? ex : ex.About(Msg.Get("DepartmentLabel", path)), path));
                }
            }

            // Kept: the departments of the rows and their ancestors in the tree as it will be; the top department is never deleted.
            var kept = new HashSet<int>();
            foreach (var id in wanted.Where(byId.ContainsKey).Concat(paths.Creates.Select(c => NameResolver.FindDepartment(paths.All, c.Changes["Parent"]?.New ?? "")).Where(byId.ContainsKey)))
            {
                kept.UnionWith(Ancestors(byId, id));
            }

            var deletes = options.IncludeDelete
                ? projected.Where(d => d.ParentId != 0 && byId.ContainsKey(d.ParentId) && !kept.Contains(d.Id)).OrderByDescending(d => d.Depth).Select(d => new WeComPlanItem
                {
                    Action = WeComPlanAction.Delete,
                    ObjectType = WeComPlanObjectType.Department,
                    Target = original[d.Id].Path ?? d.Id.ToString(CultureInfo.InvariantCulture),
                    Name = d.Name,
                    Changes = new WeComFieldChanges(new[] { new WeComFieldChange { Field = "Name", Old = d.Name } }),
                }).ToList()
                : new List<WeComPlanItem>();

            // Creates and renames by the depth of their new path: every parent is in place before its children.
            var placed = renames.Values.Concat(paths.Creates).OrderBy(i => Depth(i)).ToList();
            return new WeComPlan
            {
                Items = placed.Concat(items).Concat(deletes).ToList(),
                Invalid = invalid,
                Notes = PairNotes(paths.Creates, deletes, original.Values),
                Existing = tree.Count,
                Tree = paths.All,
                DeletionRefused = deletes.Count == 0 ? null : (options.DeleteLimit ?? DeleteLimit.Default).Check(deletes.Count, tree.Count, "department"),
            };
        }

        /// <summary>A copy of a department that can change without changing it.</summary>
        internal static WeComDepartment Copy(WeComDepartment d) =>
            new WeComDepartment { Id = d.Id, Name = d.Name, NameEn = d.NameEn, ParentId = d.ParentId, Order = d.Order, Leaders = d.Leaders, Path = d.Path, Depth = d.Depth };

        /// <summary>The department and its ancestors.</summary>
        private static HashSet<int> Ancestors(Dictionary<int, WeComDepartment> byId, int id)
        {
            var found = new HashSet<int>();
            for (var d = byId.TryGetValue(id, out var start) ? start : null; d != null && found.Add(d.Id); d = byId.TryGetValue(d.ParentId, out var parent) ? parent : null)
            {
            }

            return found;
        }

        /// <summary>How deep an item's new path is: its parent's for a rename or move, or its own.</summary>
        private static int Depth(WeComPlanItem item) =>
            ((item.Changes["Parent"]?.New ?? item.Target.Substring(0, Math.Max(0, item.Target.LastIndexOf('/')))) ?? "").Count(c => c == '/');

        /// <summary>
        /// Notes, on the items and for the plan, about a create and a delete that look like one department renamed
        /// (same parent) or moved (same name): by path alone that cannot be proven, so they stay a create and a delete.
        /// </summary>
        private static IReadOnlyList<string> PairNotes(IReadOnlyList<WeComPlanItem> creates, IReadOnlyList<WeComPlanItem> deletes, IEnumerable<WeComDepartment> original)
        {
            var notes = new List<string>();
            var byPath = original.Where(d => d.Path != null).GroupBy(d => d.Path!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            string? ParentOf(string path) => path.LastIndexOf('/') is var cut && cut > 0 ? path.Substring(0, cut) : null;
            foreach (var create in creates)
            {
                var parent = create.Changes["Parent"]?.New;
                var moved = deletes.Where(d => string.Equals(d.Name, create.Name, StringComparison.Ordinal)).ToList();
                var renamed = deletes.Where(d => string.Equals(ParentOf(d.Target), parent, StringComparison.OrdinalIgnoreCase)).ToList();
                var pair = moved.Count == 1 ? moved[0] : moved.Count == 0 && renamed.Count == 1 && creates.Count(c => c.Changes["Parent"]?.New == parent) == 1 ? renamed[0] : null;
                if (pair is null)
                {
                    continue;
                }

                var id = byPath.TryGetValue(pair.Target, out var old) ? old.Id.ToString(CultureInfo.InvariantCulture) : "its id";
                var note = $"{create.Target} may be {pair.Target} {(moved.Count == 1 ? "moved" : "renamed")}: by path alone that cannot be proven, so the plan creates {create.Target} and deletes {pair.Target}. If it is the same department, give the row the Id column ({id}) to plan one update that keeps its members";
                create.Note = note;
                pair.Note = note;
                notes.Add(note);
            }

            return notes;
        }

        /// <summary>The owned fields of a department row in their text forms; throws the rule's error naming the path.</summary>
        private static Dictionary<string, string> Check(string path, IReadOnlyDictionary<string, string?> row)
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in row.Where(p => p.Value != null))
            {
                var value = pair.Value!.Trim();
                var reason = pair.Key switch
                {
                    "Id" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && id >= 1 ? null : Rules.Fail("InvalidDepartmentId", "InvalidDepartmentIdText", value),
                    "Order" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var order) ? Rules.Order(order) : Rules.Fail("InvalidOrder", "InvalidOrderText", value),
                    "NameEn" => value.Length == 0 ? null : Rules.DepartmentName(value),
                    _ => Rules.Fail("InvalidProperty", "NotADepartmentField", pair.Key),
                };
                if (reason != null)
                {
                    throw reason.About("DepartmentItem", path);
                }

                var field = DepartmentFields.First(f => string.Equals(f, pair.Key, StringComparison.OrdinalIgnoreCase));
                fields[field] = field == "NameEn" ? value : long.Parse(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
            }

            return fields;
        }
    }
}
