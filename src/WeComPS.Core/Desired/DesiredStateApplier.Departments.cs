using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    // Departments of a plan: renames, moves, updates of the order and English name, and deletions, each checked against
    // the tree as it was before this apply (the plan's old values), then sent to the department as it is now by its id.
    internal sealed partial class DesiredStateApplier
    {
        /// <summary>The department a plan item's target path names: in the tree before the apply, else (created by it) now.</summary>
        private static WeComDepartment? Locate(IReadOnlyList<WeComDepartment> before, List<WeComDepartment> tree, string path) =>
            AtPath(before, path) is { } was ? tree.FirstOrDefault(d => d.Id == was.Id) : AtPath(tree, path);

        private static WeComDepartment? AtPath(IEnumerable<WeComDepartment> tree, string path) =>
            tree.FirstOrDefault(d => string.Equals(d.Path, "/" + path.Trim('/'), StringComparison.OrdinalIgnoreCase));

        private static string? Current(WeComDepartment department, string field, IReadOnlyList<WeComDepartment> tree) => field switch
        {
            "Order" => department.Order.ToString(CultureInfo.InvariantCulture),
            "NameEn" => department.NameEn ?? "",
            "Name" => department.Name,
            "Parent" => tree.FirstOrDefault(d => d.Id == department.ParentId)?.Path,
            _ => null,
        };

        /// <summary>Why a department item no longer fits the tree as it was before this apply, or null.</summary>
        private static string? StaleDepartment(WeComPlanItem item, IReadOnlyList<WeComDepartment> before, List<WeComDepartment> tree)
        {
            var was = AtPath(before, item.Target);
            var now = Locate(before, tree, item.Target);
            if (now is null)
            {
                return "the department no longer exists";
            }

            var (state, states) = was is null ? (now, (IReadOnlyList<WeComDepartment>)tree) : (was, before);
            var changed = item.Changes.Where(c => Current(state, c.Field, states) is { } value && c.Old != null && !string.Equals(value, c.Old, c.Field == "Parent" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                .Select(c => $"{c.Field} is now '{Current(state, c.Field, states)}', not '{c.Old}'").ToList();
            return changed.Count == 0 ? null : string.Join(", ", changed);
        }

        private static WeComException StaleError(WeComPlanItem item, string reason) =>
            WeComException.InvalidInput("StalePlanItem", Msg.Get("StalePlanItem", item, reason));

        /// <summary>Renames, moves, reorders or renames in English a department; the paths of <paramref name="tree"/> follow.</summary>
        private async Task<(WeComPlanResultStatus, WeComException?)> UpdateDepartmentAsync(WeComPlanItem item, IReadOnlyList<WeComDepartment> before, List<WeComDepartment> tree, CancellationToken cancellationToken)
        {
            if (StaleDepartment(item, before, tree) is { } reason)
            {
                return (WeComPlanResultStatus.Stale, StaleError(item, reason));
            }

            var now = Locate(before, tree, item.Target)!;
            var nameEn = item.Changes["NameEn"]?.New;
            var change = new WeComDepartmentChange
            {
                Id = now.Id,
                Name = item.Changes["Name"]?.New,
                Order = item.Changes["Order"]?.New is { } order ? long.Parse(order, CultureInfo.InvariantCulture) : (long?)null,
                NameEn = string.IsNullOrEmpty(nameEn) ? null : nameEn,
                ClearNameEn = nameEn?.Length == 0,
            };
            try
            {
                change.ParentId = item.Changes["Parent"]?.New is { } parent ? NameResolver.FindDepartment(tree, parent) : (int?)null;
            }
            catch (WeComException ex) when (!ex.AffectsAllItems)
            {
                return (WeComPlanResultStatus.Failed, ex.About(Msg.Get("DepartmentLabel", item.Target)));
            }

            await foreach (var result in _connection.Departments.UpdateAsync(new[] { change }, null, cancellationToken).ConfigureAwait(false))
            {
                if (result.Error != null)
                {
                    return (WeComPlanResultStatus.Failed, result.Error);
                }

                // The one result, taken before the next MoveNext, which throws once the run was stopped.
                break;
            }

            now.Order = change.Order ?? now.Order;
            now.NameEn = change.ClearNameEn ? null : change.NameEn ?? now.NameEn;
            if (change.Name != null || change.ParentId != null)
            {
                now.Name = change.Name ?? now.Name;
                now.ParentId = change.ParentId ?? now.ParentId;
                var arranged = DepartmentOperations.Arrange(tree).ToList();
                tree.Clear();
                tree.AddRange(arranged);
            }

            return (WeComPlanResultStatus.Succeeded, null);
        }

        /// <summary>Deletes the plan's departments that are still as planned, deepest first.</summary>
        private async Task DeleteDepartmentsAsync(
            List<WeComPlanItem> items, IReadOnlyList<WeComDepartment> before, List<WeComDepartment> tree, Action<WeComPlanItem, WeComPlanResultStatus, WeComException?> report, CancellationToken cancellationToken)
        {
            var byId = new Dictionary<int, WeComPlanItem>();
            foreach (var item in items)
            {
                if (StaleDepartment(item, before, tree) is { } reason)
                {
                    report(item, WeComPlanResultStatus.Stale, StaleError(item, reason));
                }
                else
                {
                    byId[Locate(before, tree, item.Target)!.Id] = item;
                }
            }

            await foreach (var result in _connection.Departments.DeleteAsync(byId.Keys, null, cancellationToken).ConfigureAwait(false))
            {
                var id = result.Error is null ? result.Value : result.Target is int target ? target : 0;
                if (byId.TryGetValue(id, out var item))
                {
                    report(item, result.Error is null ? WeComPlanResultStatus.Succeeded : WeComPlanResultStatus.Failed, result.Error);
                }
            }
        }
    }
}
