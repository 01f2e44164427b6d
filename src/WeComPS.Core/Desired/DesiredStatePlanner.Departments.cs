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
    internal sealed partial class DesiredStatePlanner
    {
        /// <summary>The department fields a plan can own besides the path.</summary>
        public static IReadOnlyList<string> DepartmentFields { get; } = new[] { "Order", "NameEn" };

        /// <summary>The plan that makes the department tree match <paramref name="rows"/>: one read of the tree.</summary>
        public async Task<WeComPlan> PlanDepartmentsAsync(IEnumerable<WeComDesiredDepartment> rows, WeComPlanOptions options, CancellationToken cancellationToken) =>
            PlanDepartments(rows, await DirectoryReads.TreeAsync(_connection, cancellationToken).ConfigureAwait(false), options);

        internal static WeComPlan PlanDepartments(IEnumerable<WeComDesiredDepartment> rows, IReadOnlyList<WeComDepartment> tree, WeComPlanOptions options)
        {
            var paths = new DepartmentPaths(tree, createMissing: true);
            var byId = tree.ToDictionary(d => d.Id);
            var wanted = new HashSet<int>();
            var items = new List<WeComPlanItem>();
            var invalid = new List<ItemResult<object>>();
            foreach (var row in rows)
            {
                var path = "/" + row.Path.Trim('/');
                try
                {
                    var fields = Check(path, row.Fields);
                    var id = paths.Resolve(path);
                    if (!wanted.Add(id))
                    {
                        throw WeComException.InvalidInput("DuplicateRow", Msg.Get("DepartmentRowRepeated", path));
                    }

                    if (!byId.TryGetValue(id, out var now))
                    {
                        var created = paths.Creates.First(c => c.Target == paths.Label(id));
                        created.Changes = new WeComFieldChanges(created.Changes.Concat(fields.Select(f => new WeComFieldChange { Field = f.Key, New = f.Value })));
                        continue;
                    }

                    var changes = fields.Select(f => new WeComFieldChange { Field = f.Key, Old = f.Key == "Order" ? now.Order.ToString(CultureInfo.InvariantCulture) : now.NameEn ?? "", New = f.Value }).ToList();
                    var changed = changes.Where(c => c.Old != c.New).ToList();
                    if (changed.Count > 0 || options.IncludeUnchanged)
                    {
                        items.Add(new WeComPlanItem
                        {
                            Action = changed.Count > 0 ? WeComPlanAction.Update : WeComPlanAction.Unchanged,
                            ObjectType = WeComPlanObjectType.Department,
                            Target = now.Path ?? path,
                            Name = now.Name,
                            Changes = new WeComFieldChanges(options.IncludeUnchanged ? changes : changed),
                        });
                    }
                }
                catch (WeComException ex) when (!ex.AffectsAllItems)
                {
                    invalid.Add(ItemResult<object>.Failed(ex.NamesItem || ex.ErrorId == "DuplicateRow" ? ex : ex.About(Msg.Get("DepartmentLabel", path)), path));
                }
            }

            // Kept: the departments of the rows and their ancestors; the top department is never deleted.
            var kept = new HashSet<int>();
            foreach (var id in wanted.Where(byId.ContainsKey))
            {
                for (var d = byId[id]; kept.Add(d.Id) && byId.TryGetValue(d.ParentId, out var parent); d = parent)
                {
                }
            }

            if (paths.Creates.Count > 0)
            {
                foreach (var parentPath in paths.Creates.Select(c => c.Changes["Parent"]?.New))
                {
                    for (var d = tree.FirstOrDefault(t => t.Path == parentPath); d != null && kept.Add(d.Id); d = byId.TryGetValue(d.ParentId, out var p) ? p : null)
                    {
                    }
                }
            }

            var deletes = options.IncludeDelete
                ? tree.Where(d => d.ParentId != 0 && byId.ContainsKey(d.ParentId) && !kept.Contains(d.Id)).OrderByDescending(d => d.Depth).Select(d => new WeComPlanItem
                {
                    Action = WeComPlanAction.Delete,
                    ObjectType = WeComPlanObjectType.Department,
                    Target = d.Path ?? d.Id.ToString(CultureInfo.InvariantCulture),
                    Name = d.Name,
                    Changes = new WeComFieldChanges(new[] { new WeComFieldChange { Field = "Name", Old = d.Name } }),
                }).ToList()
                : new List<WeComPlanItem>();
            return new WeComPlan
            {
                Items = paths.Creates.Concat(items).Concat(deletes).ToList(),
                Invalid = invalid,
                Existing = tree.Count,
                DeletionRefused = deletes.Count == 0 ? null : (options.DeleteLimit ?? DeleteLimit.Default).Check(deletes.Count, tree.Count, "department"),
            };
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
                    "Order" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var order) ? Rules.Order(order) : Rules.Fail("InvalidOrder", "InvalidOrderText", value),
                    "NameEn" => value.Length == 0 ? null : Rules.DepartmentName(value),
                    _ => Rules.Fail("InvalidProperty", "NotADepartmentField", pair.Key),
                };
                if (reason != null)
                {
                    throw reason.About("DepartmentItem", path);
                }

                fields[pair.Key == "Order" ? "Order" : "NameEn"] = pair.Key == "Order" ? long.Parse(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) : value;
            }

            return fields;
        }
    }
}
