using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    // Departments of a plan: updates of the order and English name, and deletions, each checked against the tree first.
    internal sealed partial class DesiredStateApplier
    {
        private static WeComDepartment? AtPath(IEnumerable<WeComDepartment> tree, string path) =>
            tree.FirstOrDefault(d => string.Equals(d.Path, "/" + path.Trim('/'), StringComparison.OrdinalIgnoreCase));

        private static string? Current(WeComDepartment department, string field) => field switch
        {
            "Order" => department.Order.ToString(CultureInfo.InvariantCulture),
            "NameEn" => department.NameEn ?? "",
            "Name" => department.Name,
            _ => null,
        };

        /// <summary>Why a department item no longer fits the tree, or null.</summary>
        private static string? StaleDepartment(WeComPlanItem item, WeComDepartment? now)
        {
            if (now is null)
            {
                return "the department no longer exists";
            }

            var changed = item.Changes.Where(c => Current(now, c.Field) is { } value && c.Old != null && value != c.Old)
                .Select(c => $"{c.Field} is now '{Current(now, c.Field)}', not '{c.Old}'").ToList();
            return changed.Count == 0 ? null : string.Join(", ", changed);
        }

        private static WeComException StaleError(WeComPlanItem item, string reason) =>
            WeComException.InvalidInput("StalePlanItem", Msg.Get("StalePlanItem", item, reason));

        private async Task<(WeComPlanResultStatus, WeComException?)> UpdateDepartmentAsync(WeComPlanItem item, List<WeComDepartment> tree, CancellationToken cancellationToken)
        {
            var now = AtPath(tree, item.Target);
            if (StaleDepartment(item, now) is { } reason)
            {
                return (WeComPlanResultStatus.Stale, StaleError(item, reason));
            }

            var nameEn = item.Changes["NameEn"]?.New;
            var change = new WeComDepartmentChange
            {
                Id = now!.Id,
                Order = item.Changes["Order"]?.New is { } order ? long.Parse(order, CultureInfo.InvariantCulture) : (long?)null,
                NameEn = string.IsNullOrEmpty(nameEn) ? null : nameEn,
                ClearNameEn = nameEn?.Length == 0,
            };
            await foreach (var result in _connection.Departments.UpdateAsync(new[] { change }, null, cancellationToken).ConfigureAwait(false))
            {
                if (result.Error != null)
                {
                    return (WeComPlanResultStatus.Failed, result.Error);
                }
            }

            now.Order = change.Order ?? now.Order;
            now.NameEn = change.ClearNameEn ? null : change.NameEn ?? now.NameEn;
            return (WeComPlanResultStatus.Succeeded, null);
        }

        /// <summary>Deletes the plan's departments that are still as planned, deepest first.</summary>
        private async Task DeleteDepartmentsAsync(
            List<WeComPlanItem> items, List<WeComDepartment> tree, Action<WeComPlanItem, WeComPlanResultStatus, WeComException?> report, CancellationToken cancellationToken)
        {
            var byId = new Dictionary<int, WeComPlanItem>();
            foreach (var item in items)
            {
                var now = AtPath(tree, item.Target);
                if (StaleDepartment(item, now) is { } reason)
                {
                    report(item, WeComPlanResultStatus.Stale, StaleError(item, reason));
                }
                else
                {
                    byId[now!.Id] = item;
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
